"""`Tracker`: a corpus in a store — ingest reports, keep the merged model up to date, read it back."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .dedup import CopyIndex
from .extract import extract_report
from .ingest import iter_paths, read_reports
from .ingest.fetch import is_url
from .ingest.metadata import Sidecar
from .model import Analysis, Extraction, Problem, Profile, Report, from_dict
from .nlp import doc_from_bytes, load_nlp, nlp_key, parse_reports
from .pipeline import process_reports
from .profile import dump_profile, profile_from_dict
from .report.views import store_views
from .settings import DEFAULT_DB, Settings
from .staged import RECORD_KINDS, StagedMerge
from .store import Store
from .store.copyindex import StoredBacking

__all__ = ["Tracker", "Summary", "IngestWriter", "RECORD_KINDS", "input_chunks", "folder_sidecars"]

log = logging.getLogger(__name__)
_WRITE_SECONDS = 2.0
_RELINK = 1000  # stored reports re-added to the copy index at once

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
        with Sidecar([meta]) if meta else folder_sidecars(paths) as sidecar:  # looked up on disk, not held
            writer = IngestWriter(self.store, self.settings, on_problem, progress)
            if self.settings.workers or self.settings.scheduler:
                from .distributed import ingest_on_dask

                ingest_on_dask(writer, paths, profile, sidecar, self.settings)
            else:
                self._ingest_chunks(writer, paths, profile, sidecar)
        writer.finish()
        summary = writer.summary
        if summary.ingested or self.store.get_blob("state", "refresh") or not self.store.count_records("side"):
            self.refresh()
        return summary

    def _ingest_chunks(self, writer: IngestWriter, paths: list[str | Path], profile: Profile, sidecar: Sidecar) -> None:
        """The serial ingest: read, triage, parse and extract a chunk of inputs at a time, writing as it goes."""
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
        self.saved = len(self.index)  # reports the stored copy index state covers
        self.generation = store.get_blob("dedup", "generation")
        # (id, published) of reports stored by a run that died before it saved the copy index
        self.unindexed: list[tuple[str, str | None]] = []
        if not self.saved and store.count_reports():  # a store from before the stored index: rebuild it
            self.unindexed = [(report.id, report.published) for report in store.report_metadata()]
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
                    self.unindexed.append((item.id, item.published))
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
            changed = self.index.add([report for report, _, _ in parsed], self.settings.story_window_days)
            self.store.put_blob("state", "refresh", uuid.uuid4().bytes)  # the merged records are owed a refresh
            for report, extraction, doc in parsed:
                if self.store.add_report(report, extraction, doc, nlp):
                    self.summary.ingested += 1
                else:
                    self.summary.unchanged += 1  # another process stored it first
                self.done += 1
                if self.progress:
                    self.progress(self.done, self.queued)
            self.store.update_links(changed)
            self._relink()
            self.generation = uuid.uuid4().bytes
            self.store.put_blob("dedup", "state", self.index.state())
            self.store.put_blob("dedup", "generation", self.generation)
            self.saved = len(self.index)

    def _relink(self) -> None:
        """Add the stored reports the saved index lacks, a thousand bodies at a time (a rebuild reads them all)."""
        indexed = self.index.indexed(rid for rid, _ in self.unindexed)
        missing = [(rid, published) for rid, published in dict(self.unindexed).items() if rid not in indexed]
        self.unindexed = []
        for start in range(0, len(missing), _RELINK):
            part = {rid: (k, published) for k, (rid, published) in enumerate(missing[start:start + _RELINK])}
            reports = sorted((Report(id=rid, file=None, source=None, raw_text="", body=body, published=part[rid][1])
                              for rid, body in self.store.bodies(part)), key=lambda report: part[report.id][0])
            changed = self.index.add(reports, self.settings.story_window_days)
            self.store.update_links([*changed, *reports])

    def finish(self) -> None:
        """Re-link stored reports a crashed run left out of the copy index."""
        self.write([], None)


def load_index(store: Store) -> CopyIndex:
    """The stored copy index: its links (a blob) over the signature and posting tables."""
    return CopyIndex.open(StoredBacking(store), store.get_blob("dedup", "state"))


def folder_sidecars(paths: Iterable[str | Path]) -> Sidecar:
    """The `metadata.jsonl` of every given folder, merged (what `read_reports` finds for a whole batch)."""
    candidates = (Path(path) / "metadata.jsonl" for path in paths if str(path) != "-" and not is_url(path))
    return Sidecar(candidate for candidate in candidates if candidate.is_file())


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
