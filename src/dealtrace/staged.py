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
from .scratch import scratch_db
from .store import JSONText, Store

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
        positions = merge_positions(self._having("positions"), self.reports)
        self._write("position", positions)
        facts = ViewFacts(self.reports.values(), list(self.profile.sides), issues, positions)
        self._write("side", self.profile.sides)
        self._write("quote", self._quotes(local_to_id, actors, facts))
        self._write("event", self._events(local_to_id, actors, local_names, facts))
        self._write("timex", (timex for found in self._parts("timexes") for timex in found.timexes))
        self._figures()
        self._write("proposal", merge_proposals(self._having("proposals"), self.reports))
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

    def _having(self, name: str) -> list[Extraction]:
        """The extractions with some of the named part, for merges that take a list: an empty
        extraction per report was most of what the position and proposal stages held."""
        return [found for found in self._parts(name) if getattr(found, name)]

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
        try:
            for found in self._parts("quotes"):
                for index, quote in enumerate(found.quotes):
                    here = next(written, None)
                    if here is None:
                        continue
                    group, moved = here
                    if moved is not None:  # a copy came first: its original's quote is read back
                        quote = self._quote_at(*moved)
                    resolve_speaker_actor(quote.speaker, local_to_id, actors)
                    quote.sources = plan.sources_of(group)
                    facts.add_quotes([quote])
                    yield quote
        finally:
            written.close()
            plan.close()

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


def _actor_row(actor: Actor, mentions: list[str]) -> dict[str, Any]:
    """An actor's row, its mentions given as JSON texts (`ActorSpool.rows`) and written as they are, in
    one string made at once (the longest is 7.2 MB at 100k short reports)."""
    row = record_row("actor", actor)
    data = row["data"]
    data.pop("mentions", None)
    head = json.dumps(data)[:-1] + ', "mentions": ['
    if not mentions:
        row["data"] = JSONText(head + "]}")
        return row
    mentions[0] = head + mentions[0]
    mentions[-1] += "]}"
    row["data"] = JSONText(",".join(mentions))
    return row


_QUOTE_PLAN = """
CREATE TABLE groups (key BLOB PRIMARY KEY, grp INTEGER) WITHOUT ROWID;
CREATE TABLE firsts (grp INTEGER PRIMARY KEY, pos INTEGER, report TEXT, start INTEGER, end_ INTEGER,
                     canonical TEXT, kept_report TEXT, kept_index INTEGER);
CREATE TABLE members (grp INTEGER, report TEXT, start INTEGER, end_ INTEGER);
CREATE INDEX members_grp ON members (grp);
CREATE TABLE shared (grp INTEGER PRIMARY KEY, key BLOB);
"""


class QuotePlan:
    """The first pass of the quote merge: which quote each group keeps, and its sources.

    A group is the quotes of one original report and its copies with one kind and text
    (`merge_copies`); groups of a long quote (`MIN_SHARED_WORDS` words or more) with one kind, text
    and speaker are one statement, the first group taking the others' sources (`merge_quotes`).
    Kept in a temporary SQLite file (`scratch_db`), not in memory: a digest of each group's key, and
    per group where its first quote was read, that quote's report and span, its other members and,
    when the kept quote is not its first, where that one is. Close it when done.
    """

    def __init__(self, reports: Mapping[str, Report]) -> None:
        self.reports = reports
        self.db = scratch_db(_QUOTE_PLAN)
        self.size = 0  # groups
        self.read = 0

    def close(self) -> None:
        self.db.close()

    def add(self, quote: Quote, index: int) -> None:
        """The next quote in reading order (`index`: its place in its report's quotes)."""
        position, self.read = self.read, self.read + 1
        canonical = canonical_of(quote.report, self.reports)
        text = _fold(quote.text)
        key = _digest(canonical, quote.kind, text)
        found = self.db.execute("SELECT grp FROM groups WHERE key = ?", (key,)).fetchone()
        if found is None:
            group, self.size = self.size, self.size + 1
            self.db.execute("INSERT INTO groups VALUES (?, ?)", (key, group))
            self.db.execute("INSERT INTO firsts (grp, pos, report, start, end_, canonical) VALUES (?, ?, ?, ?, ?, ?)",
                            (group, position, quote.report, quote.start, quote.end, canonical))
        else:
            (group,) = found
            self.db.execute("INSERT INTO members VALUES (?, ?, ?, ?)", (group, quote.report, quote.start, quote.end))
            (kept,) = self.db.execute("SELECT coalesce(kept_report, report) FROM firsts WHERE grp = ?",
                                      (group,)).fetchone()
            if kept == canonical or quote.report != canonical:
                return
            # the first quote from the original report: the one kept
            self.db.execute("UPDATE firsts SET kept_report = ?, kept_index = ? WHERE grp = ?",
                            (quote.report, index, group))
        if len(quote.text.split()) >= MIN_SHARED_WORDS:
            self.db.execute("INSERT OR REPLACE INTO shared VALUES (?, ?)",
                            (group, _digest(quote.kind, text, speaker_key(quote.speaker))))
        else:
            self.db.execute("DELETE FROM shared WHERE grp = ?", (group,))

    def fold_shared(self) -> None:
        """Groups of one long statement go into the first of them (`extra`: each later group and its first)."""
        self.db.execute("""CREATE TABLE extra AS SELECT s.grp AS grp, f.first AS first FROM shared s
                           JOIN (SELECT key, min(grp) AS first FROM shared GROUP BY key) f ON f.key = s.key
                           WHERE s.grp > f.first""")
        self.db.execute("CREATE INDEX extra_first ON extra (first, grp)")
        self.db.execute("CREATE INDEX extra_grp ON extra (grp)")

    def written(self) -> Iterator[tuple[int, tuple[str, int] | None] | None]:
        """For each quote in reading order: the group written there (at its first quote) and where its kept
        quote is when not there (report, index), else None."""
        rows = self.db.cursor().execute(
            "SELECT grp, pos, kept_report, kept_index, grp IN (SELECT grp FROM extra) FROM firsts ORDER BY grp")
        upcoming = next(rows, None)
        for position in range(self.read):
            if upcoming is not None and upcoming[1] == position:
                group, _, kept_report, kept_index, folded = upcoming
                yield None if folded else (group, None if kept_report is None else (kept_report, kept_index))
                upcoming = next(rows, None)
            else:
                yield None

    def sources_of(self, group: int) -> list:
        sources = self._own(group)
        for (other,) in self.db.execute("SELECT grp FROM extra WHERE first = ? ORDER BY grp", (group,)).fetchall():
            for source in self._own(other):
                if all(s.report != source.report for s in sources):
                    sources.append(source)
        return sources

    def _own(self, group: int) -> list:
        """`merge_copies`'s sources: the original report's quotes first, one source per report."""
        canonical, *first = self.db.execute("SELECT canonical, report, start, end_ FROM firsts WHERE grp = ?",
                                            (group,)).fetchone()
        members = [tuple(first), *self.db.execute(
            "SELECT report, start, end_ FROM members WHERE grp = ? ORDER BY rowid", (group,))]
        members.sort(key=lambda member: member[0] != canonical)
        sources = []
        for report_id, start, end in members:
            report = self.reports.get(report_id)
            if report is not None and all(s.report != report.id for s in sources):
                sources.append(source_of(report, start, end))
        return sources


def _fold(text: str) -> str:
    """`fold` without its cache: a quote's text is folded once, and the cache would keep the last
    16,384 quote texts (several MB) for the rest of the process."""
    return fold.__wrapped__(text)  # type: ignore[attr-defined]


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
