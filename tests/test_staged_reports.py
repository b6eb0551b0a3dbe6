"""`ReportTable` keeps the merge's report metadata on disk: it must answer as a dict of the reports does."""

from __future__ import annotations

import pytest

from dealtrace import Tracker
from dealtrace.analyze.common import canonical_of, merge_copies
from dealtrace.model import Position, Report, Source, to_dict
from dealtrace.report.views import ViewFacts
from dealtrace.staged_reports import ReportTable


def _report(rid: str, copy_of: str | None = None, published: str | None = "2024-08-19", **more) -> Report:
    return Report(id=rid, file=f"{rid}.txt", source=None, raw_text="", body="", outlet=f"{rid} news",
                  published=published, copy_of=copy_of, **more)


# A copy of a copy, a copy read before its original, a copy whose original is not in the table.
REPORTS = [_report("e", "c"), _report("a", authors=["Jane Roe"], sources=[Source(report="a", file="a.txt")]),
           _report("b", published=None), _report("c", "a"), _report("d", "zz", contributors=["Ann Lee"])]


def test_lookups_answer_as_the_dict_does():
    expected = {r.id: r for r in REPORTS}
    with ReportTable(iter(REPORTS), cache_size=2) as table:
        assert len(table) == 5 and list(table) == ["e", "a", "b", "c", "d"]
        for rid in ["a", "e", "zz", "b", "e", "d", "missing", "a", "c"]:
            assert (rid in table) == (rid in expected)
            assert table.get(rid) == expected.get(rid)
            assert canonical_of(rid, table) == canonical_of(rid, expected)
        assert to_dict(table["a"]) == to_dict(expected["a"]) and table["a"].sources[0].file == "a.txt"
        with pytest.raises(KeyError):
            table["zz"]
        assert [to_dict(r) for r in table.values()] == [to_dict(r) for r in REPORTS]


def test_the_cache_stays_bounded():
    reports = [_report(f"r{i:03d}", f"r{i - 1:03d}" if i % 3 else None) for i in range(200)]
    with ReportTable(reports, cache_size=16) as table:
        for report in reports:
            assert canonical_of(report.id, table) == canonical_of(report.id, {r.id: r for r in reports})
            assert len(table.cache) <= 16


def test_pinned_reports_and_their_originals_are_held_until_the_next_pin():
    with ReportTable(REPORTS, cache_size=1) as table:
        table.pin(["e", "b"])
        assert set(table.pinned) == {"e", "c", "a", "b"}  # e's chain to its original, "zz" not stored
        table.pin(["d"])
        assert set(table.pinned) == {"d"}


def test_merge_copies_over_the_table_keeps_the_same_sources():
    positions = [Position(id=f"p{i}", report=rid, file=f"{rid}.txt", side="S", issue="i", stance="support",
                          sentence="We agree.", start=0, end=9) for i, rid in enumerate(["e", "c", "a", "b", "d"])]
    expected = merge_copies([Position(**vars(p)) for p in positions], {r.id: r for r in REPORTS}, lambda p: p.sentence)
    with ReportTable(REPORTS, cache_size=1) as table:
        merged = merge_copies(positions, table, lambda p: p.sentence)
    assert [to_dict(p) for p in merged] == [to_dict(p) for p in expected]


def test_view_facts_read_the_reports_in_one_pass():
    facts = ViewFacts((r for r in REPORTS), [], [], [])
    assert facts.counts["reports"] == 5 and facts.counts["copies"] == 3
    assert (facts.first, facts.last) == ("2024-08-19", "2024-08-19")


def test_the_table_of_a_store_is_its_report_metadata(demo_store):
    store = Tracker(demo_store).store
    with ReportTable(store.report_metadata()) as table:
        assert [to_dict(r) for r in table.values()] == [to_dict(r) for r in store.report_metadata()]
        assert all(to_dict(table[r.id]) == to_dict(r) for r in store.report_metadata())
    store.engine.dispose()
