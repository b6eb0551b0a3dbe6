"""Crash safety and concurrent ingest, on SQLite and on a real PostgreSQL server (the `store_db` fixture).

`dealtrace ingest` runs in subprocesses: one is killed with SIGKILL mid-run and re-run, two run at
once over overlapping inputs. Either way the store must end up equal to one clean run of the demo
corpus (the session's `demo_store`): no report lost, none duplicated, the same merged records.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dealtrace import Tracker
from dealtrace.store import Store
from dealtrace.tracker import load_index

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
CLI = "from dealtrace.cli import main; main()"


def _ingest_process(db: str, inputs: list[Path]) -> subprocess.Popen:
    # Small batches: reports reach the store a few at a time, so a kill lands mid-run however fast the machine.
    args = [sys.executable, "-c", CLI, "ingest", *map(str, inputs), "--db", db, "--batch-size", "2",
            "--profile", str(DEMO / "profile.yaml"), "--meta", str(DEMO / "metadata.jsonl")]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_reports(db: str, process: subprocess.Popen, at_least: int, timeout: float = 180.0) -> int:
    store = Store(db)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            count = store.count_reports()
            if count >= at_least:
                return count
            time.sleep(0.05)
        return store.count_reports()
    finally:
        store.engine.dispose()


def test_ingest_killed_mid_run_then_rerun_equals_a_clean_run(store_db, demo_store, snapshot):
    Store(store_db).engine.dispose()  # create the schema before the child starts
    process = _ingest_process(store_db, [DEMO / "corpus"])
    stored = _wait_for_reports(store_db, process, at_least=3)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read().decode()[-2000:]
    clean = snapshot(demo_store)
    assert 3 <= stored < len(clean["reports"]), "the run was not killed mid-way"

    rerun = _ingest_process(store_db, [DEMO / "corpus"])
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert snapshot(store_db) == clean


def test_ingest_two_processes_at_once_over_overlapping_inputs_equals_one_run(store_db, demo_store, snapshot):
    Store(store_db).engine.dispose()
    files = sorted(p for p in (DEMO / "corpus").iterdir() if p.is_file())
    third = len(files) // 3
    first = _ingest_process(store_db, files[:2 * third])
    second = _ingest_process(store_db, files[third:])
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()[-2000:]
    assert snapshot(store_db) == snapshot(demo_store)


def test_ingest_rerun_adds_nothing(store_db, demo_store):
    Store(store_db).engine.dispose()
    tracker = Tracker(store_db)
    first = tracker.ingest([DEMO / "corpus" / "001_talks_open_cws.txt"], meta=DEMO / "metadata.jsonl")
    again = tracker.ingest([DEMO / "corpus" / "001_talks_open_cws.txt"], meta=DEMO / "metadata.jsonl")
    assert (first.ingested, again.ingested, again.unchanged) == (1, 0, 1)
    assert tracker.store.count_reports() == 1
    tracker.store.engine.dispose()


def _signature_rows(store) -> dict:
    with store.engine.connect() as connection:
        return {row[0]: tuple(row[1:]) for row in connection.exec_driver_sql(
            "SELECT pos, report_id, day, clean, junk, shingles, terms FROM copy_signatures")}


def test_ingest_writes_each_copy_index_signature_once(store_db):
    files = sorted((DEMO / "corpus").glob("*.txt"))
    tracker = Tracker(store_db)
    tracker.ingest(files[:3], meta=DEMO / "metadata.jsonl")
    before = _signature_rows(tracker.store)
    tracker.ingest(files[3:6], meta=DEMO / "metadata.jsonl")
    after = _signature_rows(tracker.store)
    assert {pos: row for pos, row in after.items() if pos in before} == before  # never rewritten
    assert sorted(after) == list(range(len(after))) and len(before) < len(after) == tracker.store.count_reports()
    assert {row[0] for row in after.values()} == {r.id for r in tracker.store.reports()}
    assert len(load_index(tracker.store)) == len(after)
    tracker.store.engine.dispose()


@pytest.mark.parametrize("relink", [1000, 2], ids=["one-part", "parts-of-two"])
def test_ingest_rebuilds_a_missing_copy_index_from_the_stored_reports(store_db, relink, monkeypatch):
    monkeypatch.setattr("dealtrace.tracker._RELINK", relink)  # the bodies are read a part at a time
    files = sorted((DEMO / "corpus").glob("*.txt"))[:6]
    tracker = Tracker(store_db)
    tracker.ingest(files[:4], meta=DEMO / "metadata.jsonl")
    links = {r.id: (r.copy_of, r.story) for r in tracker.store.reports()}
    with tracker.store.engine.begin() as connection:  # as migration 0002 leaves a store of the blob index
        connection.exec_driver_sql("DELETE FROM blobs WHERE namespace = 'dedup' AND key = 'state'")
        connection.exec_driver_sql("DELETE FROM copy_signatures")
        connection.exec_driver_sql("DELETE FROM copy_postings")
    tracker.ingest(files[4:], meta=DEMO / "metadata.jsonl")
    index = load_index(tracker.store)
    assert len(index) == tracker.store.count_reports() > len(links)
    assert {r.id: (r.copy_of, r.story) for r in tracker.store.reports() if r.id in links} == links
    tracker.store.engine.dispose()
