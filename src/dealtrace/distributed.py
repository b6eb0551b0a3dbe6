"""Ingest on a Dask cluster: workers read, clean, parse and extract batches; the client writes the store.

`process_batch` is a pure function of its arguments (a list of inputs, the settings, the profile,
the sidecar entries for those inputs), so Dask may run it anywhere and retry it freely. The client
keeps a bounded number of batches in flight (memory stays flat), writes each finished batch through
`IngestWriter` (idempotent inserts keyed by content hashes) and the corpus-level merge runs once at
the end, in `Tracker.ingest`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .ingest import read_reports
from .ingest.metadata import Sidecar
from .model import Extraction, Problem, Profile, Report
from .nlp import load_nlp, nlp_key
from .pipeline import process_reports
from .settings import Settings
from .tracker import IngestWriter, input_chunks

__all__ = ["Parsed", "BatchResult", "process_batch", "ingest_on_dask", "open_client"]

log = logging.getLogger(__name__)


@dataclass
class Parsed:
    """One report as a worker hands it back: the record, its extraction and its parse as DocBin bytes."""

    report: Report
    extraction: Extraction
    doc: bytes


@dataclass
class BatchResult:
    items: list[Parsed | Problem]
    nlp: str  # the pipeline key the parses came from


def process_batch(inputs: list[str | Path], settings: Settings, profile: Profile,
                  sidecar: dict[str, dict[str, Any]]) -> BatchResult:
    """read → clean → parse → extract over one batch of inputs; no store, no side effects."""
    items: list[Parsed | Problem] = []
    reports: list[Report] = []
    for item in read_reports(inputs, settings, sidecar):
        if isinstance(item, Problem):
            items.append(item)
        else:
            reports.append(item)
    items.extend(Parsed(*parsed) for parsed in process_reports(reports, profile, settings))
    return BatchResult(items, nlp_key(load_nlp(settings.nlp)))


def open_client(settings: Settings):
    """A Dask client: on `settings.scheduler`, or on a new local cluster of `settings.workers` processes.

    Returns (client, cluster); cluster is None for an existing scheduler (we must not close it).
    """
    from dask.distributed import Client, LocalCluster

    if settings.scheduler:
        return Client(settings.scheduler, timeout="30s"), None
    # One thread per process: spaCy holds the GIL, so threads would not parse in parallel.
    cluster = LocalCluster(n_workers=max(settings.workers, 1), threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address="127.0.0.1:0")
    return Client(cluster), cluster


def ingest_on_dask(writer: IngestWriter, paths: list[str | Path], profile: Profile,
                   sidecar: Sidecar, settings: Settings) -> None:
    """Run `process_batch` over the inputs on Dask and write each finished batch as it arrives."""
    from dask.distributed import as_completed

    client, cluster = open_client(settings)
    try:
        in_flight = 2 * max(len(client.scheduler_info().get("workers", {})), 1)
        batches = _batches(writer, paths, settings)
        worker_settings = settings.but(workers=0, scheduler=None, n_process=1)
        pending = as_completed()
        for batch in _take(batches, in_flight):
            pending.add(client.submit(process_batch, batch, worker_settings, profile, _entries_for(batch, sidecar)))
        for future in pending:
            result: BatchResult = future.result()
            future.release()
            _write_result(writer, result, settings)
            for batch in _take(batches, 1):
                pending.add(client.submit(process_batch, batch, worker_settings, profile, _entries_for(batch, sidecar)))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _write_result(writer: IngestWriter, result: BatchResult, settings: Settings) -> None:
    """Sort a worker's batch against the store and write the new reports in groups."""
    # By object, not id: of two inputs with one body triage keeps one object, and its own extraction
    # (offsets into its own raw text) must go with it.
    parsed = {id(item.report): item for item in result.items if isinstance(item, Parsed)}
    new = writer.triage([item.report if isinstance(item, Parsed) else item for item in result.items])
    group = [(report, parsed[id(report)].extraction, parsed[id(report)].doc) for report in new]
    for start in range(0, len(group), settings.batch_size):
        writer.write(group[start:start + settings.batch_size], result.nlp)


def _batches(writer: IngestWriter, paths: list[str | Path], settings: Settings) -> Iterator[list[str | Path]]:
    for chunk in input_chunks(paths, settings, settings.task_files):
        inputs = writer.inputs(chunk)
        if inputs:
            # Paths travel as strings: a worker on another host resolves them on a shared filesystem.
            yield [str(item) for item in inputs]


def _take(batches: Iterator[list[str | Path]], count: int) -> list[list[str | Path]]:
    taken = []
    for batch in batches:
        taken.append(batch)
        if len(taken) >= count:
            break
    return taken


def _entries_for(batch: list[str | Path], sidecar: Sidecar) -> dict[str, dict[str, Any]]:
    """The sidecar entries of a batch's inputs (a container's records are keyed `name#n`), to ship each task only its own."""
    return sidecar.entries_for({Path(item).name for item in batch})
