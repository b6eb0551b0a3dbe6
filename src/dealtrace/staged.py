"""The corpus merge over a store, one kind of record at a time, each written as it is made.

`analyze.build_analysis` merges every report's extraction into corpus records while holding the
whole model; on a store that grows with the corpus. `StagedMerge` makes the same records (the same
rows, in the same order) but reads only one part of the stored extractions per stage, writes the
records as a stream and lets them go. Between stages it keeps what later ones need, kept small:
the corpus actors without their mentions and the positions (the dashboard's matrix); the reports'
metadata waits in a temporary SQLite file and is read by id (`staged_reports`).

Four stages go further, being the largest: the actors are grouped on disk (`staged_actors`: the
local actors wait in a temporary SQLite file, which also keeps, until the merge ends, the corpus id
of each local actor a quote or event names), so are the figures (`staged_figures`: one measure's
figures held at a time) and the events (`staged_events`: only what matching needs of each dated
event is held), and quotes are merged from compact keys in a first
pass and written in a second (a copy's quote found in a later report is read back).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from typing import Any, Iterable, Iterator, Mapping

from .analyze.common import canonical_of, source_of
from .analyze.positions import merge_positions
from .analyze.proposals import merge_proposals
from .analyze.quotes import MIN_SHARED_WORDS, STATEMENT_KINDS, resolve_speaker_actor, speaker_key
from .analyze.timeline import actor_namer, name_actors
from .extract.common import fold
from .model import (Actor, Discrepancy, Event, Extraction, Figure, Issue, Measure, Position, Profile, Proposal,
                    Quote, Report, Side, Timex, from_dict, to_dict)
from .report.views import ViewFacts
from .staged_actors import ActorSpool
from .staged_events import EventSpool
from .staged_figures import FigureSpool
from .staged_reports import ReportTable
from .store import Store

__all__ = ["StagedMerge", "RECORD_KINDS", "record_row"]

# kind in the store -> (Analysis attribute, record class)
RECORD_KINDS: dict[str, tuple[str, type]] = {
    "side": ("sides", Side), "actor": ("actors", Actor), "quote": ("quotes", Quote), "timex": ("timexes", Timex),
    "event": ("events", Event), "figure": ("figures", Figure), "measure": ("measures", Measure),
    "discrepancy": ("discrepancies", Discrepancy), "issue": ("issues", Issue), "position": ("positions", Position),
    "proposal": ("proposals", Proposal),
}
_ACTOR_ROWS = 1  # rows per insert for actors: an actor's row holds every mention of it
_MEASURE_ROWS = 100  # and for measures: a measure's row holds its series, a point per report and value


class StagedMerge:
    """`analyze.build_analysis` over a store, one kind of record at a time (see the module's doc)."""

    def __init__(self, store: Store, profile: Profile) -> None:
        self.store = store
        self.profile = profile
        self.reports = ReportTable(store.report_metadata())  # on disk, read by id (`staged_reports`)
        self.counts: dict[str, int] = {}

    def run(self) -> ViewFacts:
        """Write every kind of record; what the dashboard's views need of them."""
        with self.reports, ActorSpool() as spool:
            actors = self._actors(spool)
            return self._after_actors(spool.corpus_ids(), actors, spool.local_names())

    def _after_actors(self, local_to_id: Mapping[str, str], actors: dict[str, Actor],
                      local_names: Mapping[str, str]) -> ViewFacts:
        issues = self._issues()
        positions = merge_positions(list(self._parts("positions")), self.reports)
        self._write("position", positions)
        facts = ViewFacts(self.reports.values(), list(self.profile.sides), issues, positions)
        self._write("side", self.profile.sides)
        self._write("quote", self._quotes(local_to_id, actors, facts))
        self._write("event", self._events(local_to_id, actors, local_names, facts))
        self._write("timex", (timex for found in self._parts("timexes") for timex in found.timexes))
        self._figures()
        self._write("proposal", merge_proposals(list(self._parts("proposals")), self.reports))
        for kind, (attribute, _) in RECORD_KINDS.items():
            if kind not in ("side", "issue", "position", "quote", "event"):
                facts.count(attribute, self.counts[kind])
        return facts

    def _parts(self, *names: str, ids: Iterable[str] | None = None) -> Iterator[Extraction]:
        """The extractions of the reports read at the start (or of `ids`), with only the named parts read
        and equal strings of one report shared. Reports another process stores meanwhile wait for its
        own refresh, so that every stage reads the same reports."""
        for report, parts in self.store.extraction_parts(*names, ids=ids):
            if report in self.reports:
                yield from_dict(Extraction, share_strings({"report": report, **parts}, {}))

    def _write(self, kind: str, records: Iterable[Any]) -> None:
        self.counts[kind] = self.store.stream_records(kind, (record_row(kind, record) for record in records))

    # -- actors ------------------------------------------------------------------------------------
    def _actors(self, spool: ActorSpool) -> dict[str, Actor]:
        """Write the corpus actors (`staged_actors`); the actors without their mentions, by id. The spool
        keeps the corpus id of each local actor a quote or an event names, and the local names of the
        ones events name."""
        for found in self._parts("quotes", "events"):
            for quote in found.quotes:
                if quote.speaker.actor:
                    spool.name(quote.speaker.actor, quote.kind in STATEMENT_KINDS, True, False)
            for event in found.events:
                for local in (*event.actors, *event.recipients):
                    spool.name(local, False, False, True)
        for found in self._parts("actors"):
            spool.hold(found)
        actors = spool.merge(self.reports.values(), self.store.bodies)
        rows = spool.rows(actors, _actor_row)
        self.counts["actor"] = self.store.stream_records("actor", rows, _ACTOR_ROWS)
        return {actor.id: Actor(id=actor.id, name=actor.name, kind=actor.kind, side=actor.side) for actor in actors}

    # -- quotes ------------------------------------------------------------------------------------
    def _quotes(self, local_to_id: Mapping[str, str], actors: dict[str, Actor], facts: ViewFacts) -> Iterator[Quote]:
        """`analyze.quotes.merge_quotes`, from compact keys: the first pass (run now, before any write)
        groups copies and long quotes shared by several reports; the returned iterator reads the quotes
        again and yields each kept quote with its sources, in the same order."""
        plan = QuotePlan(self.reports)
        for found in self._parts("quotes"):
            for index, quote in enumerate(found.quotes):
                resolve_speaker_actor(quote.speaker, local_to_id, actors)
                plan.add(quote, index)
        plan.fold_shared()
        return self._kept_quotes(plan, local_to_id, actors, facts)

    def _kept_quotes(self, plan: QuotePlan, local_to_id: Mapping[str, str], actors: dict[str, Actor],
                     facts: ViewFacts) -> Iterator[Quote]:
        written = plan.written()
        for found in self._parts("quotes"):
            for index, quote in enumerate(found.quotes):
                group = next(written, None)
                if group is None:
                    continue
                if group in plan.moved:  # a copy came first: its original's quote is read back
                    quote = self._quote_at(*plan.moved[group])
                resolve_speaker_actor(quote.speaker, local_to_id, actors)
                quote.sources = plan.sources_of(group)
                facts.add_quotes([quote])
                yield quote

    def _quote_at(self, report: str, index: int) -> Quote:
        (found,) = self._parts("quotes", ids=[report])
        return found.quotes[index]

    # -- events ------------------------------------------------------------------------------------
    def _events(self, local_to_id: Mapping[str, str], actors: dict[str, Actor], local_names: Mapping[str, str],
                facts: ViewFacts) -> Iterator[Event]:
        """`analyze.timeline.merge_events`, with the events on disk (`staged_events`)."""
        namer = actor_namer(local_to_id, actors, local_names)
        with EventSpool(self.reports) as spool:
            for found in self._parts("events"):
                spool.hold(name_actors(event, namer) for event in found.events)
            spool.merge()
            for event in spool.events():
                facts.add_events([event])
                yield event

    # -- the rest ----------------------------------------------------------------------------------
    def _issues(self) -> list[Issue]:
        issues = list(self.profile.issues)
        known = {issue.id for issue in issues}
        for found in self._parts("issues"):
            for issue in found.issues:
                if issue.id not in known:
                    known.add(issue.id)
                    issues.append(issue)
        self._write("issue", issues)
        return issues

    def _figures(self) -> None:
        """Figures, measures and discrepancies (`staged_figures`: grouped on disk, one measure held at a time)."""
        with FigureSpool(self.reports, record_row) as spool:
            for found in self._parts("figures"):
                spool.hold(found)
            spool.merge()
            self._write("discrepancy", spool.discrepancies())
            self.counts["measure"] = self.store.stream_records("measure", spool.measure_rows(), _MEASURE_ROWS)
            self.counts["figure"] = self.store.stream_records("figure", spool.figure_rows())


def _actor_row(actor: Actor, mentions: list[dict[str, Any]]) -> dict[str, Any]:
    row = record_row("actor", actor)
    row["data"]["mentions"] = share_strings(mentions, {})
    return row


class QuotePlan:
    """The first pass of the quote merge: which quote each group keeps, and its sources.

    A group is the quotes of one original report and its copies with one kind and text
    (`merge_copies`); groups of a long quote (`MIN_SHARED_WORDS` words or more) with one kind, text
    and speaker are one statement, the first group taking the others' sources (`merge_quotes`).
    Kept per quote: a digest of its group's key and, per group, where its first quote was read and
    that quote's report and span; groups of several quotes keep every member's.
    """

    def __init__(self, reports: Mapping[str, Report]) -> None:
        self.reports = reports
        self.groups: dict[bytes, int] = {}  # digest of (original report, kind, folded text) -> group
        self.starts = array("q")  # the reading position of each group's first quote (increasing)
        self.first_report: list[str] = []  # the report and span of each group's first quote
        self.first_span = array("q")  # start * 2**32 + end
        self.copies: dict[int, tuple[str, list[tuple[str, int, int]]]] = {}  # group of several -> original, members
        self.moved: dict[int, tuple[str, int]] = {}  # group -> (report, index) of its kept quote, when not its first
        self.shared: dict[int, bytes] = {}  # group -> digest of its kept quote's (kind, text, speaker), when long
        self.extra: dict[int, list[int]] = {}  # group -> the later groups of the same long statement
        self.folded: set[int] = set()  # groups that went into an earlier one
        self.read = 0

    def add(self, quote: Quote, index: int) -> None:
        """The next quote in reading order (`index`: its place in its report's quotes)."""
        position, self.read = self.read, self.read + 1
        canonical = canonical_of(quote.report, self.reports)
        text = fold(quote.text)
        key = _digest(canonical, quote.kind, text)
        group = self.groups.get(key)
        member = (quote.report, quote.start, quote.end)
        if group is None:
            group = self.groups[key] = len(self.starts)
            self.starts.append(position)
            self.first_report.append(quote.report)
            self.first_span.append(quote.start * 2**32 + quote.end)
        else:
            first = (self.first_report[group], *divmod(self.first_span[group], 2**32))
            self.copies.setdefault(group, (canonical, [first]))[1].append(member)  # type: ignore[arg-type]
            kept = self.moved.get(group, (self.first_report[group], -1))[0]
            if kept == canonical or quote.report != canonical:
                return
            self.moved[group] = (quote.report, index)  # the first quote from the original report: the one kept
        if len(quote.text.split()) >= MIN_SHARED_WORDS:
            self.shared[group] = _digest(quote.kind, text, speaker_key(quote.speaker))
        else:
            self.shared.pop(group, None)

    def fold_shared(self) -> None:
        """Groups of one long statement go into the first of them."""
        first: dict[bytes, int] = {}
        for group in sorted(self.shared):
            key = self.shared[group]
            if key in first:
                self.extra.setdefault(first[key], []).append(group)
                self.folded.add(group)
            else:
                first[key] = group

    def written(self) -> Iterator[int | None]:
        """For each quote in reading order: the group written there (at its first quote), else None."""
        groups = iter(range(len(self.starts)))
        upcoming = next(groups, None)
        for position in range(self.read):
            if upcoming is not None and self.starts[upcoming] == position:
                yield None if upcoming in self.folded else upcoming
                upcoming = next(groups, None)
            else:
                yield None

    def sources_of(self, group: int) -> list:
        sources = self._own(group)
        for other in self.extra.get(group, ()):
            for source in self._own(other):
                if all(s.report != source.report for s in sources):
                    sources.append(source)
        return sources

    def _own(self, group: int) -> list:
        """`merge_copies`'s sources: the original report's quotes first, one source per report."""
        if group in self.copies:
            canonical, members = self.copies[group]
            members = sorted(members, key=lambda member: member[0] != canonical)
        else:
            members = [(self.first_report[group], *divmod(self.first_span[group], 2**32))]
        sources = []
        for report_id, start, end in members:
            report = self.reports.get(report_id)
            if report is not None and all(s.report != report.id for s in sources):
                sources.append(source_of(report, start, end))
        return sources


def _digest(*parts: str) -> bytes:
    return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).digest()


def share_strings(value: Any, seen: dict[str, str]) -> Any:
    """Decoded JSON with each repeated string one object: a report's id, file name and sentences
    recur in every mention and record of it, and JSON decoding makes a new string for each."""
    if isinstance(value, str):
        return seen.setdefault(value, value)
    if isinstance(value, list):
        return [share_strings(item, seen) for item in value]
    if isinstance(value, dict):
        return {key: share_strings(item, seen) for key, item in value.items()}
    return value


def record_row(kind: str, record: Any) -> dict[str, Any]:
    """The indexed columns of a record (for filters) next to its full JSON."""
    data = to_dict(record)
    speaker = data.get("speaker") or {}
    actors = data.get("actors") or []
    text = data.get("text") or data.get("name") or data.get("sentence") or data.get("proposition")
    return {
        "id": str(data.get("id") or data.get("name") or data.get("measure")),
        "report_id": data.get("report"),
        "side": data.get("side") or speaker.get("side") or data.get("author"),
        "actor": speaker.get("name") or (actors[0] if actors else None) or (data.get("name") if kind == "actor" else None),
        "issue": data.get("issue") or (data.get("id") if kind == "issue" else None),
        # The column is a day for filters (10 chars); a value like '2025-04-21TNI' keeps its day.
        "date": _day(data.get("date") or data.get("value") if kind == "timex" else data.get("date")),
        "text": text,
        "data": data,
    }


def _day(value: Any) -> str | None:
    return str(value)[:10] if value else None
