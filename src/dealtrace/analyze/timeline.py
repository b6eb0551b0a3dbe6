"""The timeline of the talks: one event per happening, however many reports tell it.

Events come out of each report with local actor ids; here they get corpus actor names, copies
collapse (same sentence in a syndicated copy), and the same event told by several reports
(same type, a shared actor, dates within a day) becomes one event with all its sources.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any, Callable, Iterable, Mapping

from ..extract.common import fold
from ..extract.timexes import first_day
from ..model import Actor, Analysis, Event, Extraction, Report, Source
from .common import merge_copies

__all__ = ["merge_events", "timeline", "to_plover", "plover_records", "start_day", "actor_namer", "name_actors",
           "copy_key", "is_twin", "fold_twin", "same_kind", "best_match", "absorb", "join_telling",
           "new_sources", "reports_of"]

log = logging.getLogger(__name__)

MERGE_WINDOW = timedelta(days=1)


def start_day(value: str | None) -> date | None:
    """The first day a TimeML date value covers: 2024-08-19, 2024-W34 (its Monday), 2024-07, 2024."""
    return first_day(value)


def _unique(names: list[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


def merge_events(extractions: list[Extraction], reports: dict[str, Report], local_to_id: dict[str, str],
                 actors: dict[str, Actor], local_names: dict[str, str] | None = None) -> list[Event]:
    """Every event of a corpus once, with corpus actor names and all the reports that tell it.

    `local_names` names report-local actors that have no corpus actor (by default read from the
    extractions' actors), for a merge that reads the events without the actors. The steps are
    shared with `staged_events`, which makes the same events with its records on disk.
    """
    if local_names is None:
        local_names = {actor.id: actor.name for found in extractions for actor in found.actors}
    namer = actor_namer(local_to_id, actors, local_names)
    events = [name_actors(event, namer) for found in extractions for event in found.events]
    copies = merge_copies(events, reports, key=copy_key)
    return merge_same(_fold_sentences(copies))


def actor_namer(local_to_id: Mapping[str, str], actors: Mapping[str, Actor],
                local_names: Mapping[str, str]) -> Callable[[str], str]:
    """A local actor id -> its corpus actor's name, else its local name (or the id: a side name stored as such)."""
    def name(ref: str) -> str:
        corpus_id = local_to_id.get(ref)
        if corpus_id is not None and corpus_id in actors:
            return actors[corpus_id].name
        return local_names.get(ref, ref)
    return name


def name_actors(event: Event, name: Callable[[str], str]) -> Event:
    """The event with corpus names for its actors and recipients (a recipient that also acts is an actor)."""
    event.actors = _unique([name(a) for a in event.actors])
    event.recipients = [r for r in _unique([name(a) for a in event.recipients]) if r not in event.actors]
    return event


def copy_key(event: Event) -> tuple:
    """Events of one original report and its copies with this key are one event (`merge_copies`)."""
    return event.type, event.trigger, fold(event.sentence or "")


def _fold_sentences(events: list[Event]) -> list[Event]:
    """One happening told twice in a sentence ("making a visit, emerged from a meeting with X") is one event."""
    kept: list[Event] = []
    for event in events:
        twin = next((k for k in kept if is_twin(k, event)), None)
        if twin is None:
            kept.append(event)
        else:
            fold_twin(twin, event)
    return kept


def is_twin(kept: Event, event: Event) -> bool:
    """Whether `event` tells again, in the same sentence of the same report, the happening `kept` tells."""
    return (kept.report == event.report and kept.type == event.type and kept.sentence == event.sentence
            and bool(set(kept.actors) & set(event.actors))
            and (kept.date == event.date or not kept.date or not event.date)
            and (kept.negated, kept.future, kept.hypothetical) == (event.negated, event.future, event.hypothetical))


def fold_twin(twin: Event, event: Event) -> None:
    """Fold a sentence's second telling into the first: its recipients, and a place or date the first lacks."""
    twin.recipients = [r for r in _unique([*twin.recipients, *event.recipients]) if r not in twin.actors]
    twin.place = twin.place or event.place
    twin.date, twin.date_text = twin.date or event.date, twin.date_text or event.date_text


def _same(a: Event, b: Event) -> int:
    """How surely two reports tell one happening (0 = not the same): type, flags, a shared actor,
    compatible places, dates within a day; exact dates and more shared parties score higher."""
    if a.type != b.type or (a.negated, a.future, a.hypothetical) != (b.negated, b.future, b.hypothetical):
        return 0
    if a.actors or b.actors:
        if not set(a.actors) & set(b.actors):
            return 0
    elif not set(a.recipients) & set(b.recipients):
        return 0
    if a.place and b.place and not (fold(a.place) in fold(b.place) or fold(b.place) in fold(a.place)):
        return 0
    if not a.date or not b.date:
        return 0
    shared = len(set(a.actors + a.recipients) & set(b.actors + b.recipients))
    if a.date == b.date:
        return 3 + shared
    day_a, day_b = start_day(a.date), start_day(b.date)
    if day_a is None or day_b is None:
        return 0
    if len(a.date) == 10 and len(b.date) == 10:
        # A day apart (time zones, "late Monday"): only when the telling agrees on more than the actors.
        same_word = fold((a.trigger or "").split()[0]) == fold((b.trigger or "").split()[0]) if a.trigger and \
            b.trigger else False
        same_place = bool(a.place and b.place)
        if abs(day_a - day_b) <= MERGE_WINDOW and (same_word or same_place):
            return 1 + shared
        return 0
    # "in mid-August" and "on Monday, Aug. 19": the coarser date holds the day, and both parties agree.
    fine, coarse = (a, b) if len(a.date) >= len(b.date) else (b, a)
    if shared >= 2 and _covers(coarse.date, start_day(fine.date)):
        return shared
    return 0


def _covers(value: str | None, day: date | None) -> bool:
    """Whether a week/month/year value includes the day."""
    first = start_day(value)
    if first is None or day is None or not value:
        return False
    if "-W" in value:
        return first <= day < first + timedelta(days=7)
    if len(value) == 7:
        return (first.year, first.month) == (day.year, day.month)
    if len(value) == 4:
        return first.year == day.year
    return False


def reports_of(event: Event) -> set[str]:
    return {source.report for source in event.sources} | {event.report}


def merge_same(events: list[Event]) -> list[Event]:
    """Fold events that are one happening into the best match among those kept, keeping every source.

    A kept event takes at most one event from each report: two meetings told by one report stay two."""
    merged: list[Event] = []
    told_by: list[set[str]] = []  # the reports of each kept event, kept up to date as sources join
    # Only events of one type and the same flags can be one happening (`_same` is 0 otherwise): each
    # event is scored against those alone, not against every kept event.
    kinds: dict[tuple, list[int]] = {}
    for event in events:
        reports = reports_of(event)
        kind = kinds.setdefault(same_kind(event), [])
        best = best_match(event, reports, ((merged[index], told_by[index]) for index in kind))
        if best is None:
            kind.append(len(merged))
            merged.append(event)
            told_by.append(reports)
            continue
        target_index = kind[best]
        absorb(merged[target_index], event)
        told_by[target_index] = reports_of(merged[target_index])
    return merged


def same_kind(event: Event) -> tuple:
    """Type and flags: only events alike in these can be one happening."""
    return event.type, event.negated, event.future, event.hypothetical


def best_match(event: Event, reports: set[str], kept: Iterable[tuple[Event, set[str]]]) -> int | None:
    """The place among `kept` (events of its kind, with their reports) of the one `event` tells again, or None:
    the best score, then the first; kept events that share a report with it are left out."""
    scored = [(_same(other, event), index) for index, (other, told) in enumerate(kept) if not told & reports]
    scored = [pair for pair in scored if pair[0] > 0]
    return max(scored, key=lambda pair: (pair[0], -pair[1]))[1] if scored else None


def absorb(target: Event, event: Event) -> None:
    """Fold another report's telling into the kept event: its parties, place, a finer date and its sources."""
    join_telling(target, event)
    target.sources = [*target.sources, *new_sources({(s.report, s.start) for s in target.sources}, event.sources)]


def join_telling(target: Event, event: Event) -> None:
    """The kept event takes the other telling's parties, a place it lacks and a finer date."""
    target.actors = _unique([*target.actors, *event.actors])
    target.recipients = [r for r in _unique([*target.recipients, *event.recipients]) if r not in target.actors]
    target.place = target.place or event.place
    if event.date and len(event.date) > len(target.date or ""):
        target.date, target.date_text = event.date, event.date_text  # the finer telling dates it


def new_sources(known: set[tuple[str, int | None]], sources: list[Source]) -> list[Source]:
    """The sources whose (report, start) the kept event does not have yet."""
    return [s for s in sources if (s.report, s.start) not in known]


def _involves(event: Event, actor: str) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(fold(actor))}(?!\w)")  # "Blinken" finds "Antony Blinken"
    return any(pattern.search(fold(name)) for name in [*event.actors, *event.recipients])


def timeline(analysis: Analysis, since: str | None = None, actor: str | None = None,
             include_undated: bool = True) -> list[Event]:
    """What happened, in date order: events that did happen or are scheduled (not negated, not "would").

    `since` (ISO date) keeps events on or after that day, and drops undated ones; `actor` keeps events
    whose actors or recipients name that actor. Undated events come last, in report order.
    """
    floor = start_day(since) if since else None
    kept = []
    for event in analysis.events:
        if event.negated or event.hypothetical:
            continue
        if actor and not _involves(event, actor):
            continue
        day = start_day(event.date)
        if floor is not None and (day is None or day < floor):
            continue
        if day is None and not include_undated:
            continue
        kept.append(event)
    order = {report.id: index for index, report in enumerate(analysis.reports)}
    return sorted(kept, key=lambda e: (start_day(e.date) is None, start_day(e.date) or date.min,
                                       -len(e.date or ""), order.get(e.report, 0), e.start))


def _source_dict(source: Source) -> dict[str, Any]:
    return {"report": source.report, "file": source.file, "outlet": source.outlet, "published": source.published}


def to_plover(event: Event) -> dict[str, Any]:
    """One event in PLOVER field names (event_type, mode, actor, recipient, event_date, location ...)."""
    return {
        "id": event.id,
        "event_type": event.type,
        "mode": event.mode or "",
        "context": "",
        "actor": event.actors[0] if event.actors else "",
        "actors": list(event.actors),
        "recipient": event.recipients[0] if event.recipients else "",
        "recipients": list(event.recipients),
        "event_date": event.date or "",
        "date_text": event.date_text or "",
        "location": event.place or "",
        "sentence": event.sentence or "",
        "trigger": event.trigger or "",
        "negated": event.negated,
        "future": event.future,
        "hypothetical": event.hypothetical,
        "report": event.report,
        "file": event.file,
        "sources": [_source_dict(s) for s in event.sources],
    }


def plover_records(analysis: Analysis) -> list[dict[str, Any]]:
    """All events of an analysis, PLOVER-style, for events.plover.json."""
    return [to_plover(event) for event in analysis.events]
