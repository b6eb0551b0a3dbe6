"""`Tracker.refresh` merges one kind of record at a time: it must store what the whole-model merge makes."""

from __future__ import annotations

import json

from dealtrace import Tracker
from dealtrace.analyze import build_analysis
from dealtrace.report.views import compute_views
from dealtrace.tracker import RECORD_KINDS, _record_row


def test_refresh_stores_the_records_and_views_of_build_analysis(demo_store):
    tracker = Tracker(demo_store)
    analysis = build_analysis(list(tracker.store.reports()), list(tracker.store.extractions()), tracker.profile)
    assert analysis.quotes and analysis.discrepancies and any(r.copy_of for r in analysis.reports)
    for kind, (attribute, _) in RECORD_KINDS.items():
        expected = [json.loads(json.dumps(_record_row(kind, record)["data"])) for record in getattr(analysis, attribute)]
        assert tracker.store.records(kind) == expected, kind
    stored = json.loads(tracker.store.get_blob("views", "dashboard"))
    assert stored == json.loads(json.dumps(compute_views(analysis)))
    tracker.store.engine.dispose()


def test_refresh_counts_the_records_it_writes(demo_store, tmp_path):
    from tests.web.conftest import copy_store

    tracker = Tracker(copy_store(demo_store, tmp_path / "demo.db"))
    counts = tracker.refresh()
    assert counts == {kind: tracker.store.count_records(kind) for kind in RECORD_KINDS}
    assert counts["quote"] > 0
    tracker.store.engine.dispose()
