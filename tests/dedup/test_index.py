import pytest

from dealtrace.analyze.common import merge_copies
from dealtrace.dedup import CopyIndex, link_reports
from dealtrace.dedup.backing import MemoryBacking
from dealtrace.model import Source

from .texts import article, report


def _paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


def test_link_reports_truncated_repost_is_copy_of_full_report():
    full = report(article(1, 10), "2024-03-01")
    cut = report("\n\n".join(_paragraphs(full.body)[:4]) + " ...", "2024-03-02")
    link_reports([cut, full])
    assert cut.copy_of == full.id and full.copy_of is None
    assert cut.story == full.story


def test_link_reports_junk_repost_points_to_clean_original():
    clean = report(article(2), "2024-03-02")
    junky = report("Skip to content\nAdvertisement\n" + clean.body + "\nShare this article\nLeave a Reply\nComments",
                   "2024-03-01")
    link_reports([junky, clean])
    assert junky.copy_of == clean.id and clean.copy_of is None


def test_link_reports_update_with_added_paragraph_becomes_canonical():
    first = report(article(3), "2024-03-01")
    update = report(first.body + "\n\n" + "\n\n".join(_paragraphs(article(99, 2, ("Ostrander",)))), "2024-03-01")
    link_reports([first, update])
    assert first.copy_of == update.id


def test_link_reports_equally_complete_copies_earliest_is_canonical():
    body = article(4)
    edited = body.replace("wages", "salaries", 1)
    late, early = report(body, "2024-03-05"), report(edited, "2024-03-04")
    link_reports([late, early])
    assert late.copy_of == early.id and early.copy_of is None


def test_link_reports_shared_passage_is_overlap_both_ways():
    a = report(article(5, 10), "2024-03-01")
    b = report(article(6, 8) + "\n\n" + _paragraphs(a.body)[3] + "\n\n" + _paragraphs(a.body)[4], "2024-03-01")
    link_reports([a, b])
    assert (a.copy_of, b.copy_of) == (None, None)
    assert a.overlaps == [b.id] and b.overlaps == [a.id]
    assert a.story == b.story


def test_link_reports_unrelated_reports_not_linked():
    a = report(article(7, names=("Varnholt",)), "2024-03-01")
    b = report(article(8, names=("Quillon",)), "2024-03-01")
    link_reports([a, b])
    assert (a.copy_of, b.copy_of, a.overlaps, b.overlaps) == (None, None, [], [])


@pytest.mark.parametrize("dates, joined", [
    (("2024-03-01", "2024-03-10"), True),
    (("2024-03-01", "2024-05-10"), False),
    (("2024-03-01", None), True),
])
def test_link_reports_story_by_topic_within_window(dates, joined):
    names = ("Varnholt", "Kestrel", "Ostrander", "Quillon")
    topic = ("wages", "pension", "strike", "ballot", "overtime", "mediator", "offer", "union", "talks", "the", "of")
    a = report(article(9, names=names, words=topic), dates[0])
    b = report(article(10, names=names, words=topic), dates[1])
    link_reports([a, b], window_days=14)
    assert a.overlaps == [] and a.copy_of is None and b.copy_of is None
    assert (a.story == b.story) is joined


def test_copy_index_reads_no_terms_of_reports_dated_outside_the_story_window():
    """Topic candidates too far apart in time are dropped before their terms are read (their
    number would otherwise grow with the corpus)."""
    fetched: list[int] = []

    class Recording(MemoryBacking):
        def terms(self, positions):
            positions = list(positions)
            fetched.extend(positions)
            return super().terms(positions)

    names = ("Varnholt", "Kestrel", "Ostrander", "Quillon")
    topic = ("wages", "pension", "strike", "ballot", "overtime", "mediator", "offer", "union", "talks", "the", "of")
    january, march, later = (report(article(seed, names=names, words=topic), day)
                             for seed, day in ((21, "2024-01-02"), (22, "2024-03-01"), (23, "2024-03-05")))
    index = CopyIndex(Recording())
    index.add([january, march], window_days=14)
    index.add([later], window_days=14)
    assert later.story == march.story != january.story
    assert 1 in fetched and 0 not in fetched


def test_link_reports_undated_copy_takes_its_original_date_for_stories():
    names = ("Varnholt", "Kestrel", "Ostrander", "Quillon")
    march = report(article(11, names=names), "2024-03-01")
    repost = report(march.body + "\nShare this article", None)
    may = report(article(12, names=names), "2024-05-01")
    link_reports([march, repost, may], window_days=14)
    assert repost.copy_of == march.id
    assert may.story != march.story


def test_copy_index_more_complete_copy_arriving_later_changes_older_links():
    full = report(article(13, 10), "2024-03-01")
    cut = report("\n\n".join(_paragraphs(full.body)[:5]), "2024-03-01")
    index = CopyIndex()
    assert index.add([cut]) == [] and cut.copy_of is None
    changed = index.add([full])
    assert full.copy_of is None
    assert [(r.id, r.copy_of, r.story) for r in changed] == [(cut.id, full.id, full.story)]


def test_copy_index_round_trip_bytes_keeps_links_and_finds_new_copies():
    a, b = report(article(14), "2024-03-01"), report(article(15), "2024-03-01")
    a_copy = report(a.body + "\nAdvertisement", "2024-03-02")
    index = CopyIndex()
    index.add([a, b, a_copy])
    loaded = CopyIndex.from_bytes(index.to_bytes())
    assert loaded.copy_groups() == index.copy_groups() == {a.id: [a_copy.id]}
    b_cut = report("\n\n".join(_paragraphs(b.body)[:3]), "2024-03-03")
    assert loaded.add([b_cut]) == []
    assert b_cut.copy_of == b.id
    assert CopyIndex.from_bytes(loaded.to_bytes()).copy_groups() == loaded.copy_groups()


def test_copy_index_from_bytes_empty_and_foreign_data():
    assert len(CopyIndex.from_bytes(None)) == 0 and len(CopyIndex.from_bytes(b"")) == 0
    with pytest.raises(ValueError):
        CopyIndex.from_bytes(b"not an index")


def test_copy_index_batches_link_like_one_batch():
    bodies = [article(20 + k, 9) for k in range(6)]
    reports = [report(b, "2024-03-01") for b in bodies]
    reports += [report("\n\n".join(_paragraphs(b)[:5]), "2024-03-02") for b in bodies[:3]]
    reports += [report(bodies[4] + "\nRelated Articles", "2024-03-03")]
    whole = CopyIndex()
    whole.add([report(r.body, r.published) for r in reports])
    parts = CopyIndex()
    parts.add([report(r.body, r.published) for r in reports[:5]])
    parts = CopyIndex.from_bytes(parts.to_bytes())
    parts.add([report(r.body, r.published) for r in reports[5:]])
    assert parts.copy_groups() == whole.copy_groups()
    assert len(whole.copy_groups()) == 4


def test_copy_index_report_already_indexed_gets_its_links():
    a = report(article(30), "2024-03-01")
    a_copy = report(a.body + "\nAdvertisement", "2024-03-01")
    index = CopyIndex()
    index.add([a, a_copy])
    again = report(a_copy.body, "2024-04-01")
    assert index.add([again]) == [] and again.copy_of == a.id


def test_merge_copies_one_record_with_a_source_per_copy():
    """analyze.common.merge_copies turns the same record in two copies into one with two sources."""
    from dataclasses import dataclass, field

    @dataclass
    class Found:
        report: str
        text: str
        start: int = 0
        end: int = 0
        sources: list[Source] = field(default_factory=list)

    a = report(article(31), "2024-03-01")
    a_copy = report("Advertisement\n" + a.body, None)
    a_copy.outlet = "Reposter"
    link_reports([a, a_copy])
    merged = merge_copies([Found(a_copy.id, "x"), Found(a.id, "x")], {r.id: r for r in (a, a_copy)},
                          key=lambda f: f.text)
    assert len(merged) == 1 and merged[0].report == a.id
    assert {s.report for s in merged[0].sources} == {a.id, a_copy.id}


def _overlapping_index() -> tuple[CopyIndex, list]:
    """Three reports, the third sharing a passage with each of the first two."""
    a, b = report(article(40, 10), "2024-03-01"), report(article(41, 10), "2024-03-01")
    c = report("\n\n".join([article(42, 6), *_paragraphs(a.body)[3:5], *_paragraphs(b.body)[2:4]]), "2024-03-02")
    index = CopyIndex()
    index.add([a, b, c])
    assert c.overlaps == sorted([a.id, b.id]) and a.overlaps == [c.id]
    return index, [a, b, c]


def test_copy_index_state_keeps_overlap_links_as_arrays():
    from dealtrace.dedup import persist

    index, _ = _overlapping_index()
    head, arrays = persist.unpack(index.state())
    assert "overlaps" not in head
    assert arrays["overlapping"].tolist() == [0, 1, 2] and arrays["overlap_links"].tolist() == [2, 2, 0, 1]
    loaded = CopyIndex.from_bytes(index.to_bytes())
    assert {i: list(js) for i, js in loaded.overlaps.items()} == {0: [2], 1: [2], 2: [0, 1]}


def test_copy_index_reads_a_state_that_kept_overlaps_in_its_header():
    import numpy as np

    from dealtrace.dedup import persist

    index, _ = _overlapping_index()
    head, arrays = persist.unpack(index.state())
    older = {name: np.array(a) for name, a in arrays.items() if not name.startswith("overlap")}
    state = persist.pack({"n": head["n"], "overlaps": [[2, [0, 1]], [0, [2]], [1, [2]]]}, older)
    loaded = CopyIndex.open(index.backing, state)
    assert {i: sorted(js) for i, js in loaded.overlaps.items()} == {0: [2], 1: [2], 2: [0, 1]}


def test_forest_restore_gives_every_group_its_members_after_its_root():
    import random

    import numpy as np

    from dealtrace.dedup.index import _Forest

    rng = random.Random(3)
    forest = _Forest()
    for _ in range(300):
        forest.add()
    for _ in range(200):
        forest.union(rng.randrange(300), rng.randrange(300))
    saved = np.frombuffer(forest.parent, dtype=np.int32).copy()  # parents as a save finds them, paths not compressed
    restored = _Forest()
    restored.restore(saved)
    expected = {}
    for i in range(300):
        expected.setdefault(forest.find(i), []).append(i)
    expected = {root: [root, *sorted(m for m in members if m != root)]
                for root, members in expected.items() if len(members) > 1}
    assert {root: list(group) for root, group in restored.groups.items()} == expected
    assert all(restored.parent[i] == forest.find(i) for i in range(300))
