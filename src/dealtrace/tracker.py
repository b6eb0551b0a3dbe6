"""`Tracker`: a corpus in a store — ingest reports, keep the merged model up to date, read it back."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .analyze.actors import merge_actors
from .analyze.common import merge_copies
from .analyze.figures import figure_copy_key, iter_measures
from .analyze.positions import merge_positions
from .analyze.proposals import merge_proposals
from .analyze.quotes import STATEMENT_KINDS, merge_quotes
from .analyze.timeline import merge_events
from .dedup import CopyIndex
from .extract import extract_report
from .ingest import iter_paths, load_sidecar, read_reports
from .ingest.fetch import is_url
from .model import (Actor, Analysis, Discrepancy, Event, Extraction, Figure, Issue, Measure, Position, Problem,
                    Profile, Proposal, Quote, Report, Side, Timex, from_dict, to_dict)
from .nlp import doc_from_bytes, load_nlp, nlp_key, parse_reports
from .pipeline import process_reports
from .profile import dump_profile, profile_from_dict
from .report.views import ViewFacts, store_views
from .settings import DEFAULT_DB, Settings
from .store import Store

__all__ = ["Tracker", "Summary", "IngestWriter", "RECORD_KINDS", "input_chunks", "folder_sidecars"]

log = logging.getLogger(__name__)
_WRITE_SECONDS = 2.0
_SEGMENTS = "dedup-segments"  # blob namespace of the copy index's append-only signature segments

# kind in the store -> (Analysis attribute, record class)
RECORD_KINDS: dict[str, tuple[str, type]] = {
    "side": ("sides", Side), "actor": ("actors", Actor), "quote": ("quotes", Quote), "timex": ("timexes", Timex),
    "event": ("events", Event), "figure": ("figures", Figure), "measure": ("measures", Measure),
    "discrepancy": ("discrepancies", Discrepancy), "issue": ("issues", Issue), "position": ("positions", Position),
    "proposal": ("proposals", Proposal),
}


@dataclass
class Summary:
    """What one ingest run did, for the user's closing line and the exit status."""

    ingested: int = 0
    unchanged: int = 0  # already in the store (same content)
    skipped: int = 0
    failed: int = 0
    warnings: int = 0  # inputs read only in part (truncated archive, dropped huge line)
    problems: list[Problem] = field(default_factory=list)


class Tracker:
    """A negotiation's corpus in a store (SQLite file or database URL)."""

    def __init__(self, db: str | Path = DEFAULT_DB, settings: Settings = Settings()) -> None:
        self.store = Store(db)
        self.settings = settings

    # -- profile -------------------------------------------------------------------------------
    @property
    def profile(self) -> Profile:
        import yaml

        data = self.store.get_blob("profile", "current")
        return profile_from_dict(yaml.safe_load(data.decode("utf-8"))) if data else Profile()

    def set_profile(self, profile: Profile) -> bool:
        """Keep `profile` with the store; True when it changed (the extractors must re-run)."""
        text = dump_profile(profile).encode("utf-8")
        if self.store.get_blob("profile", "current") == text:
            return False
        self.store.put_blob("profile", "current", text)
        return True

    # -- ingest ----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], profile: Profile | None = None, meta: str | Path | None = None,
               on_problem: Callable[[Problem], None] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Summary:
        """Read, clean, parse and extract new reports; bad inputs are reported and skipped.

        Inputs stream through in chunks of `settings.chunk_files`, so memory stays flat with corpus
        size. With `settings.workers` or `settings.scheduler` the chunks run on Dask workers.
        """
        paths = list(paths)
        if profile is not None and self.set_profile(profile):
            self.reextract()
        profile = self.profile
        sidecar = load_sidecar(meta) if meta else folder_sidecars(paths)
        writer = IngestWriter(self.store, self.settings, on_problem, progress)
        if self.settings.workers or self.settings.scheduler:
            from .distributed import ingest_on_dask

            ingest_on_dask(writer, paths, profile, sidecar, self.settings)
        else:
            key = nlp_key(load_nlp(self.settings.nlp))
            for chunk in input_chunks(paths, self.settings, self.settings.chunk_files):
                new = writer.triage(read_reports(writer.inputs(chunk), self.settings, sidecar))
                group: list[tuple[Report, Extraction, bytes]] = []
                since = time.monotonic()
                for parsed in process_reports(new, profile, self.settings):
                    group.append(parsed)
                    # Write every batch or every few seconds, so a killed run loses little work.
                    if len(group) >= self.settings.batch_size or time.monotonic() - since > _WRITE_SECONDS:
                        writer.write(group, key)
                        group, since = [], time.monotonic()
                writer.write(group, key)
        writer.finish()
        summary = writer.summary
        if summary.ingested or self.store.get_blob("state", "refresh") or not self.store.count_records("side"):
            self.refresh()
        return summary

    def reextract(self) -> int:
        """Re-run the extractors over every stored report from its cached parse (no re-parsing)."""
        nlp = load_nlp(self.settings.nlp)
        key = nlp_key(nlp)
        profile = self.profile
        count = 0
        for report in list(self.store.reports()):
            data = self.store.parse(report.id, key)
            if data is None:
                _, doc = next(parse_reports([report], self.settings))
            else:
                doc = doc_from_bytes(data, nlp)
            self.store.put_extraction(extract_report(report, doc, profile, self.settings))
            count += 1
        return count

    # -- the merged model --------------------------------------------------------------------------
    def refresh(self) -> dict[str, int]:
        """Merge every report's extraction into corpus records and store them; the number of each kind.

        The records are those `analyze.build_analysis` makes, built one kind at a time (`StagedMerge`)
        so that memory holds one kind, not the whole model. Runs under the store's refresh lock: of two
        processes ingesting at once, the one that writes last read the store last, so the stored
        records always cover every stored report.
        """
        with self.store.lock("refresh"):
            owed = self.store.get_blob("state", "refresh")
            merge = StagedMerge(self.store, self.profile)
            facts = merge.run()
            store_views(self.store, facts)  # the matrix and histograms the dashboard reads, precomputed
            if owed is not None:
                self.store.delete_blob("state", "refresh", owed)  # unless another writer owes one since
        return merge.counts

    def load(self) -> Analysis:
        """The stored model, as `dealtrace.analyze` returns it for one text."""
        analysis = Analysis(reports=list(self.store.reports()))
        for kind, (attribute, cls) in RECORD_KINDS.items():
            setattr(analysis, attribute, [from_dict(cls, data) for data in self.store.records(kind)])
        return analysis

    def records(self, kind: str, **filters: Any) -> list[dict[str, Any]]:
        return self.store.records(kind, **filters)


class StagedMerge:
    """`analyze.build_analysis` over a store, one kind of record at a time, each written as it is made.

    Every stage reads only its part of the stored extractions, writes its records and lets them go;
    what later stages need is kept small: the corpus actor of each report-local actor that a quote
    or an event names, and the corpus actors without their mentions. Reports are read without their
    texts. Memory holds the largest kind's records (and the reports' metadata), not every record.
    """

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
        positions = merge_positions(self._parts("positions"), self.by_id)
        self._write("position", positions)
        facts = ViewFacts(self.reports, list(self.profile.sides), issues, positions)
        self._write("side", self.profile.sides)
        quotes = merge_quotes(self._parts("quotes"), self.by_id, local_to_id, actors)
        self._write("quote", quotes)
        facts.add_quotes(quotes)
        del quotes
        events = merge_events(self._parts("events"), self.by_id, local_to_id, actors, local_names)
        self._write("event", events)
        facts.add_events(events)
        del events
        self._write("timex", (timex for report, part in self.store.extraction_parts("timexes")
                              for timex in from_dict(Extraction, {"report": report, **part}).timexes))
        self._figures()
        self._write("proposal", merge_proposals(self._parts("proposals"), self.by_id))
        for kind, (attribute, _) in RECORD_KINDS.items():
            if kind not in ("side", "issue", "position", "quote", "event"):
                facts.count(attribute, self.counts[kind])
        return facts

    def _parts(self, *names: str) -> list[Extraction]:
        """Every extraction with only the named parts read, equal strings of one report shared."""
        return [from_dict(Extraction, _share_strings({"report": report, **parts}, {}))
                for report, parts in self.store.extraction_parts(*names)]

    def _write(self, kind: str, records: Iterable[Any]) -> None:
        rows = (_record_row(kind, record) for record in records)
        # An actor's row holds every mention of it: a thousand of them can be most of a corpus's mentions.
        self.counts[kind] = self.store.stream_records(kind, rows, 20 if kind == "actor" else 1000)

    def _references(self) -> tuple[set[str], set[str], set[str]]:
        """The local actor ids that speak (direct or indirect quotes), that quotes name, that events name."""
        speakers: set[str] = set()
        by_quotes: set[str] = set()
        by_events: set[str] = set()
        for report, parts in self.store.extraction_parts("quotes", "events"):
            found = from_dict(Extraction, {"report": report, **parts})
            for quote in found.quotes:
                if quote.speaker.actor:
                    by_quotes.add(quote.speaker.actor)
                    if quote.kind in STATEMENT_KINDS:
                        speakers.add(quote.speaker.actor)
            for event in found.events:
                by_events.update(event.actors)
                by_events.update(event.recipients)
        return speakers, by_quotes, by_events

    def _actors(self, speakers: set[str], named_by_quotes: set[str],
                named_by_events: set[str]) -> tuple[dict[str, str], dict[str, Actor], dict[str, str]]:
        """Write the corpus actors; keep each named local actor's corpus id, the actors without their
        mentions, and the local names of the actors events name."""
        extractions = self._parts("actors")
        local_names = {actor.id: actor.name for found in extractions for actor in found.actors
                       if actor.id in named_by_events}
        actors, local_to_id = merge_actors(extractions, self.profile, self.reports, self.store.bodies, speakers)
        del extractions
        self._write("actor", actors)
        light = {actor.id: Actor(id=actor.id, name=actor.name, kind=actor.kind, side=actor.side) for actor in actors}
        named = named_by_quotes | named_by_events
        return {local: corpus for local, corpus in local_to_id.items() if local in named}, light, local_names

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


class IngestWriter:
    """The client side of ingest: sorts read reports against the store and writes parsed ones.

    Writes are keyed by content hashes (a report's id is the hash of its body), so a retried Dask
    task, a re-run after a crash or a second process ingesting the same inputs never duplicates.
    """

    def __init__(self, store: Store, settings: Settings, on_problem: Callable[[Problem], None] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.store = store
        self.settings = settings
        self.on_problem = on_problem
        self.progress = progress
        self.summary = Summary()
        self.index = load_index(store)
        self.saved = len(self.index)  # reports whose signatures are in a stored segment
        self.generation = store.get_blob("dedup", "generation")
        self.unindexed: list[Report] = []  # stored by a run that died before it saved the copy index
        if not self.saved and store.count_reports():  # a store from before the segmented index: rebuild it
            self.unindexed = list(store.reports())
        self.queued = 0
        self.done = 0

    def problem(self, problem: Problem) -> None:
        self.summary.problems.append(problem)
        if problem.kind == "skipped":
            self.summary.skipped += 1
        elif problem.kind == "warning":
            self.summary.warnings += 1
        else:
            self.summary.failed += 1
        if self.on_problem:
            self.on_problem(problem)

    def inputs(self, chunk: list[str | Path | Problem]) -> list[str | Path]:
        """The readable inputs of a chunk; missing paths are reported."""
        for item in chunk:
            if isinstance(item, Problem):
                self.problem(item)
        return [item for item in chunk if not isinstance(item, Problem)]

    def triage(self, items: Iterable[Report | Problem]) -> list[Report]:
        """The new reports of one batch; copies of stored reports add their source, problems are reported."""
        pending: dict[str, Report] = {}
        for item in items:
            if isinstance(item, Problem):
                self.problem(item)
            elif item.id in pending:
                pending[item.id] = _same_body(pending[item.id], item)
                self.summary.unchanged += 1
            elif self.store.has_report(item.id):
                self.store.add_report(item)  # another source of a stored report; no new rows
                self.summary.unchanged += 1
                if item.id not in self.index:
                    self.unindexed.append(item)
            else:
                pending[item.id] = item
        self.queued += len(pending)
        return list(pending.values())

    def write(self, parsed: list[tuple[Report, Extraction | None, bytes | None]], nlp: str | None) -> None:
        """Link one group of parsed reports into the copy index and store them, one transaction per report.

        The store's ingest lock makes the index's read-modify-write safe across processes; if the
        process dies after storing reports but before saving the index, the next run re-links them.
        """
        if not parsed and not self.unindexed:
            return
        with self.store.lock("ingest"):
            generation = self.store.get_blob("dedup", "generation")
            if generation != self.generation:  # another process saved the index since we read it
                self.index = load_index(self.store)
                self.saved = len(self.index)
            relink = [report for report in self.unindexed if report.id not in self.index]
            self.unindexed = []
            changed = self.index.add([report for report, _, _ in parsed] + relink, self.settings.story_window_days)
            self.store.put_blob("state", "refresh", uuid.uuid4().bytes)  # the merged records are owed a refresh
            for report, extraction, doc in parsed:
                if self.store.add_report(report, extraction, doc, nlp):
                    self.summary.ingested += 1
                else:
                    self.summary.unchanged += 1  # another process stored it first
                self.done += 1
                if self.progress:
                    self.progress(self.done, self.queued)
            self.store.update_links([*changed, *relink])
            self.generation = uuid.uuid4().bytes
            if len(self.index) > self.saved:  # segments before the state: a state never outruns them
                self.store.put_blob(_SEGMENTS, f"{self.saved:012d}", self.index.segment(self.saved))
            self.store.put_blob("dedup", "state", self.index.state())
            self.store.put_blob("dedup", "generation", self.generation)
            self.saved = len(self.index)

    def finish(self) -> None:
        """Re-link stored reports a crashed run left out of the copy index."""
        self.write([], None)


def load_index(store: Store) -> CopyIndex:
    """The stored copy index: its state and the append-only segments of signatures, in order."""
    segments = (data for _, data in sorted(store.iter_blobs(_SEGMENTS)))
    return CopyIndex.load(store.get_blob("dedup", "state"), segments)


def folder_sidecars(paths: Iterable[str | Path]) -> dict[str, dict[str, Any]]:
    """The `metadata.jsonl` of every given folder, merged (what `read_reports` finds for a whole batch)."""
    sidecar: dict[str, dict[str, Any]] = {}
    for path in paths:
        candidate = Path(path) / "metadata.jsonl" if str(path) != "-" and not is_url(path) else None
        if candidate is not None and candidate.is_file():
            sidecar.update(load_sidecar(candidate))
    return sidecar


def input_chunks(paths: Iterable[str | Path], settings: Settings, size: int) -> Iterator[list[str | Path | Problem]]:
    """The inputs under `paths` (files, URLs, `-`, or a Problem for a missing path) in lists of `size`."""
    chunk: list[str | Path | Problem] = []
    for item in iter_paths(paths, settings):
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _same_body(first: Report, second: Report) -> Report:
    """Two inputs with one body: the earliest published carries the metadata, the other is a source."""
    keep, other = sorted([first, second], key=lambda r: (r.published or "9999", r.file or ""))
    keep.sources = [*keep.sources, *(s for s in other.sources if s not in keep.sources)]
    return keep


def _share_strings(value: Any, seen: dict[str, str]) -> Any:
    """Decoded JSON with each repeated string one object: a report's id, file name and sentences
    recur in every mention and record of it, and JSON decoding makes a new string for each."""
    if isinstance(value, str):
        return seen.setdefault(value, value)
    if isinstance(value, list):
        return [_share_strings(item, seen) for item in value]
    if isinstance(value, dict):
        return {key: _share_strings(item, seen) for key, item in value.items()}
    return value


def _record_row(kind: str, record: Any) -> dict[str, Any]:
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
