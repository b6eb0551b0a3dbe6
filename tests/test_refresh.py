"""`Tracker.refresh` merges one kind of record at a time: it must store what the whole-model merge makes."""

from __future__ import annotations

import json

from dealtrace import Tracker
from dealtrace.analyze import build_analysis
from dealtrace.report.views import compute_views
from dealtrace.staged import RECORD_KINDS, record_row


def test_refresh_stores_the_records_and_views_of_build_analysis(demo_store):
    tracker = Tracker(demo_store)
    analysis = build_analysis(list(tracker.store.reports()), list(tracker.store.extractions()), tracker.profile)
    assert analysis.quotes and analysis.discrepancies and any(r.copy_of for r in analysis.reports)
    for kind, (attribute, _) in RECORD_KINDS.items():
        expected = [json.loads(json.dumps(record_row(kind, record)["data"])) for record in getattr(analysis, attribute)]
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


def _quote(report: str, index: int, text: str, speaker: str | None = None, kind: str = "direct"):
    from dealtrace.model import Quote, Speaker

    return Quote(id=f"{report}-{index}", report=report, file=f"{report}.txt", kind=kind, text=text,
                 start=10 * index, end=10 * index + len(text), speaker=Speaker(actor=speaker, name=speaker))


def test_refresh_merges_quotes_of_copies_and_shared_statements_as_merge_quotes_does(tmp_path):
    """Copies read before their original, a copy of a copy, one long statement in three reports and a
    short one in two: the two-pass quote merge keeps the quotes, sources and order of `merge_quotes`."""
    from dealtrace.model import Actor, Extraction, Mention, Report, Source

    long_text = "we will not sign any agreement that leaves the crossings closed to aid"
    reports = {  # report ids sort "a" < "b" < ...: the copies "a" and "b" are read before their original "c"
        "a": "c", "b": "a", "c": None, "d": None, "e": None,
    }
    quotes = {
        "a": [_quote("a", 0, "a reversal"), _quote("a", 1, long_text, "p1")],
        "b": [_quote("b", 0, "a reversal"), _quote("b", 1, "something only the copy of a copy says")],
        "c": [_quote("c", 0, "a reversal"), _quote("c", 1, long_text, "p1"), _quote("c", 2, "a reversal", kind="indirect")],
        "d": [_quote("d", 0, long_text, "p1"), _quote("d", 1, "a reversal")],
        "e": [_quote("e", 0, long_text, "p2"), _quote("e", 1, long_text.upper(), "p1")],
    }
    tracker = Tracker(tmp_path / "store.db")
    for report_id, original in reports.items():
        report = Report(id=report_id, file=f"{report_id}.txt", source=f"{report_id}.txt", raw_text="x", body="x",
                        outlet=f"Outlet {report_id}", copy_of=original, sources=[Source(report=report_id)])
        speakers = [Actor(id=q.speaker.actor, name=q.speaker.actor, kind="person",
                          mentions=[Mention(report=report_id, file=None, text=q.speaker.actor, start=q.start, end=q.end)])
                    for q in quotes[report_id] if q.speaker.actor]
        tracker.store.add_report(report, Extraction(report=report_id, quotes=quotes[report_id], actors=speakers))
    tracker.refresh()
    analysis = build_analysis(list(tracker.store.reports()), list(tracker.store.extractions()), tracker.profile)
    expected = [json.loads(json.dumps(record_row("quote", quote)["data"])) for quote in analysis.quotes]
    assert tracker.store.records("quote") == expected
    # the original's quote kept, its copies (and the copy of a copy) as sources; the long statement of p1
    # in d folds into c's; e's two quotes share one text and so one report's group
    assert [(q["report"], q["kind"], [s["report"] for s in q["sources"]]) for q in expected] == [
        ("c", "direct", ["c", "a", "b"]), ("c", "direct", ["c", "a", "d"]), ("b", "direct", ["b"]),
        ("c", "indirect", ["c"]), ("d", "direct", ["d"]), ("e", "direct", ["e"])]
    assert [a["mentions"] for a in tracker.store.records("actor")] == \
        [json.loads(json.dumps(record_row("actor", actor)["data"]["mentions"])) for actor in analysis.actors]
    tracker.store.engine.dispose()
