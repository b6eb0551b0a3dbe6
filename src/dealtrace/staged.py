"""The corpus merge over a store, one kind of record at a time, each written as it is made.

`analyze.build_analysis` merges every report's extraction into corpus records while holding the
whole model; on a store that grows with the corpus. `StagedMerge` makes the same records (the same
rows, in the same order) but reads only one part of the stored extractions per stage, writes the
records as a stream and lets them go. Between stages it keeps what later ones need, kept small:
the corpus actor of each report-local actor a quote or event names, the corpus actors without their
mentions, the positions (the dashboard's matrix) and the reports without their texts.

Two stages go further, being the largest: the actors' mentions wait in a temporary file while the
actors are grouped (each corpus actor's row gathers them back), and quotes are merged from compact
keys in a first pass and written in a second (a copy's quote found in a later report is read back).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from array import array
from typing import IO, Any, Iterable, Iterator, NamedTuple

from .analyze.actors import merge_actors
from .analyze.common import canonical_of, merge_copies, source_of
from .analyze.figures import figure_copy_key, iter_measures
from .analyze.positions import merge_positions
from .analyze.proposals import merge_proposals
from .analyze.quotes import MIN_SHARED_WORDS, STATEMENT_KINDS, resolve_speaker_actor, speaker_key
from .analyze.timeline import merge_events
from .extract.common import fold
from .model import (Actor, Discrepancy, Event, Extraction, Figure, Issue, Measure, Position, Profile, Proposal,
                    Quote, Report, Side, Timex, from_dict, to_dict)
from .report.views import ViewFacts
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


class StagedMerge:
    """`analyze.build_analysis` over a store, one kind of record at a time (see the module's doc)."""

    def __init__(self, store: Store, profile: Profile) -> None:
        self.store = store
        self.profile = profile
        self.reports = list(store.report_metadata())
        self.by_id = {report.id: report for report in self.reports}
        self.counts: dict[str, int] = {}

    def run(self) -> ViewFacts:
        """Write every kind of record; what the dashboard's views need of them."""
        local_to_id, actors, local_names = self._actors(*self._references())
        issues = self._issues()
        positions = merge_positions(list(self._parts("positions")), self.by_id)
        self._write("position", positions)
        facts = ViewFacts(self.reports, list(self.profile.sides), issues, positions)
        self._write("side", self.profile.sides)
        self._write("quote", self._quotes(local_to_id, actors, facts))
        events = merge_events(list(self._parts("events")), self.by_id, local_to_id, actors, local_names)
        self._write("event", events)
        facts.add_events(events)
        del events
        self._write("timex", (timex for found in self._parts("timexes") for timex in found.timexes))
        self._figures()
        self._write("proposal", merge_proposals(list(self._parts("proposals")), self.by_id))
        for kind, (attribute, _) in RECORD_KINDS.items():
            if kind not in ("side", "issue", "position", "quote", "event"):
                facts.count(attribute, self.counts[kind])
        return facts

    def _parts(self, *names: str, ids: Iterable[str] | None = None) -> Iterator[Extraction]:
        """The extractions of the reports read at the start (or of `ids`), with only the named parts read
        and equal strings of one report shared. Reports another process stores meanwhile wait for its
        own refresh, so that every stage reads the same reports."""
        for report, parts in self.store.extraction_parts(*names, ids=ids):
            if report in self.by_id:
                yield from_dict(Extraction, share_strings({"report": report, **parts}, {}))

    def _write(self, kind: str, records: Iterable[Any]) -> None:
        self.counts[kind] = self.store.stream_records(kind, (record_row(kind, record) for record in records))

    def _references(self) -> tuple[set[str], set[str], set[str]]:
        """The local actor ids that speak (direct or indirect quotes), that quotes name, that events name."""
        speakers: set[str] = set()
        by_quotes: set[str] = set()
        by_events: set[str] = set()
        for found in self._parts("quotes", "events"):
            for quote in found.quotes:
                if quote.speaker.actor:
                    by_quotes.add(quote.speaker.actor)
                    if quote.kind in STATEMENT_KINDS:
                        speakers.add(quote.speaker.actor)
            for event in found.events:
                by_events.update(event.actors)
                by_events.update(event.recipients)
        return speakers, by_quotes, by_events

    # -- actors ------------------------------------------------------------------------------------
    def _actors(self, speakers: set[str], named_by_quotes: set[str],
                named_by_events: set[str]) -> tuple[dict[str, str], dict[str, Actor], dict[str, str]]:
        """Write the corpus actors; keep each named local actor's corpus id, the actors without their
        mentions, and the local names of the actors events name."""
        with MentionSpool() as spool:
            extractions = [spool.hold(found) for found in self._parts("actors")]
            local_names = {actor.id: actor.name for found in extractions for actor in found.actors
                           if actor.id in named_by_events}
            members: dict[str, list[Actor]] = {}
            actors, local_to_id = merge_actors(extractions, self.profile, self.reports, self.store.bodies, speakers,
                                               members)
            del extractions
            rows = (spool.row(actor, members[actor.id]) for actor in actors)
            self.counts["actor"] = self.store.stream_records("actor", rows, _ACTOR_ROWS)
        light = {actor.id: Actor(id=actor.id, name=actor.name, kind=actor.kind, side=actor.side) for actor in actors}
        named = named_by_quotes | named_by_events
        return {local: corpus for local, corpus in local_to_id.items() if local in named}, light, local_names

    # -- quotes ------------------------------------------------------------------------------------
    def _quotes(self, local_to_id: dict[str, str], actors: dict[str, Actor], facts: ViewFacts) -> Iterator[Quote]:
        """`analyze.quotes.merge_quotes`, from compact keys: the first pass (run now, before any write)
        groups copies and long quotes shared by several reports; the returned iterator reads the quotes
        again and yields each kept quote with its sources, in the same order."""
        plan = QuotePlan(self.by_id)
        for found in self._parts("quotes"):
            for index, quote in enumerate(found.quotes):
                resolve_speaker_actor(quote.speaker, local_to_id, actors)
                plan.add(quote, index)
        plan.fold_shared()
        return self._kept_quotes(plan, local_to_id, actors, facts)

    def _kept_quotes(self, plan: QuotePlan, local_to_id: dict[str, str], actors: dict[str, Actor],
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
        """Figures, measures and discrepancies; the discrepancies are written as each measure yields them."""
        figures = merge_copies([f for found in self._parts("figures") for f in found.figures], self.by_id,
                               key=figure_copy_key)
        measures: list[Measure] = []

        def discrepancies() -> Iterator[Discrepancy]:
            for measure, found in iter_measures(figures, self.by_id):
                measures.append(measure)
                yield from found

        self._write("discrepancy", discrepancies())
        self._write("measure", measures)
        self._write("figure", figures)


class MentionKey(NamedTuple):
    """What the actor merge reads of a mention; the mention itself waits in the spool."""

    report: str
    start: int
    label: str | None
    text: str


class SpooledMentions(list):
    """A local actor's `MentionKey`s, with where its mentions lie in the spool."""

    __slots__ = ("offset", "length")


class MentionSpool:
    """Local actors' mentions in a temporary file while the actors are grouped.

    Each local actor keeps `MentionKey`s in their place; a corpus actor's row reads its members'
    mentions back and orders them as `analyze.actors` does (by report and start, members in order).
    """

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()

    def __enter__(self) -> "MentionSpool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.file.close()

    def hold(self, found: Extraction) -> Extraction:
        """Spool the mentions of an extraction's actors, leaving their keys."""
        for actor in found.actors:
            data = json.dumps([to_dict(m) for m in actor.mentions]).encode("utf-8")
            keys = SpooledMentions(MentionKey(m.report, m.start, m.label, m.text) for m in actor.mentions)
            keys.offset, keys.length = self.file.seek(0, 2), len(data)
            self.file.write(data)
            actor.mentions = keys
        return found

    def mentions(self, members: list[Actor]) -> list[dict[str, Any]]:
        gathered: list[dict[str, Any]] = []
        for member in members:
            self.file.seek(member.mentions.offset)  # type: ignore[attr-defined]
            gathered.extend(json.loads(self.file.read(member.mentions.length)))  # type: ignore[attr-defined]
        gathered.sort(key=lambda m: (m["report"], m["start"]))
        return share_strings(gathered, {})

    def row(self, actor: Actor, members: list[Actor]) -> dict[str, Any]:
        row = record_row("actor", dataclasses.replace(actor, mentions=[]))
        row["data"]["mentions"] = self.mentions(members)
        return row


class QuotePlan:
    """The first pass of the quote merge: which quote each group keeps, and its sources.

    A group is the quotes of one original report and its copies with one kind and text
    (`merge_copies`); groups of a long quote (`MIN_SHARED_WORDS` words or more) with one kind, text
    and speaker are one statement, the first group taking the others' sources (`merge_quotes`).
    Kept per quote: a digest of its group's key and, per group, where its first quote was read and
    that quote's report and span; groups of several quotes keep every member's.
    """

    def __init__(self, reports: dict[str, Report]) -> None:
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
