"""The PolNeAR attribution scorer (bench/polnear_score.py): reading brat, kinds, matching, totals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from polnear_score import Attribution, agreement, annotator_sets, dev_pairs, kind_of, match, overlap, quoted_mask, read_ann, score, total  # noqa: E402

TEXT = 'Talks stalled, officials said. "We will not sign," Carter said. Pay rose, it is believed.'
ANN = "\n".join([
    "T1\tContent 0 13\tTalks stalled",
    "T2\tSource 15 24\tofficials",
    "T3\tCue 25 29\tsaid",
    "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2",
    "T4\tContent 31 50\t\"We will not sign,\"",
    "T5\tSource 51 57\tCarter",
    "T6\tCue 58 62\tsaid",
    "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
    "T7\tContent 64 72;73 76\tPay rose it",
    "T8\tCue 80 88\tbelieved",
    "E3\tAttribution:T8 Content:T7 Cue:T8",
    "T9\tDiscard 0 5\tTalks",
])


def test_read_ann_reads_spans_kinds_and_missing_sources():
    gold = read_ann(ANN, TEXT)
    assert [a.kind for a in gold] == ["indirect", "direct", "indirect"]
    assert gold[0].source == ((15, 24),) and gold[2].source == ()
    assert gold[2].content == ((64, 72), (73, 76))


def test_quoted_mask_closes_at_paragraph_end():
    mask = quoted_mask('a "b\nc')
    assert mask == [False, False, False, True, False, False]


def test_kind_of_partial_quote_inside_reported_speech_is_indirect():
    text = 'she said the plan was a "reversal" of the deal'
    assert kind_of(((9, len(text)),), quoted_mask(text), text) == "indirect"


def test_overlap_counts_shared_characters_of_span_sets():
    assert overlap(((0, 10), (20, 30)), ((5, 25),)) == 10


@pytest.mark.parametrize("system, matched", [
    (Attribution(content=((0, 13),), source=((15, 24),)), True),  # exact
    (Attribution(content=((0, 8),), source=((15, 20),)), True),  # 8/13 of gold, all of itself
    (Attribution(content=((0, 5),), source=((15, 24),)), False),  # under half the gold content
    (Attribution(content=((0, 40),), source=((15, 24),)), False),  # gold is under half of it
    (Attribution(content=((0, 13),), source=((51, 57),)), False),  # wrong source
    (Attribution(content=((0, 13),), source=()), False),  # no source where gold has one
])
def test_match_needs_half_the_content_both_ways_and_the_source(system, matched):
    gold = read_ann(ANN, TEXT)[:1]
    assert bool(match([system], gold)) is matched


def test_match_gold_without_source_accepts_any_source():
    gold = read_ann(ANN, TEXT)[2:]
    assert match([Attribution(content=((64, 76),), source=((0, 3),))], gold) == [(0, 0)]


def test_match_is_one_to_one_largest_overlap_first():
    gold = [Attribution(content=((0, 10),))]
    system = [Attribution(content=((0, 6),)), Attribution(content=((0, 10),))]
    assert match(system, gold) == [(1, 0)]


def test_score_counts_kinds_from_each_side_and_totals_add_up():
    gold = read_ann(ANN, TEXT)
    system = [Attribution(content=((32, 49),), source=((51, 57),), kind="indirect"),
              Attribution(content=((0, 13),), source=((15, 24),), kind="indirect")]
    direct = score(system, gold, "direct")
    assert (direct.matched_system, direct.matched_gold, direct.system, direct.gold) == (0, 1, 0, 1)
    overall = total([score(system, gold), score(system, gold)])
    assert (overall.system, overall.gold, overall.matched_gold) == (4, 6, 4)
    assert overall.precision == 1.0 and overall.recall == pytest.approx(4 / 6)



def test_score_attribution_kind_counts_precision_and_indirect_recall():
    """dealtrace's non-statement attributions: precision of their own, recall under the gold's kind."""
    gold = read_ann(ANN, TEXT)
    system = [Attribution(content=((0, 13),), source=((15, 24),), kind="attribution"),
              Attribution(content=((64, 76),), source=(), kind="attribution")]
    own = score(system, gold, "attribution")
    assert (own.matched_system, own.system, own.gold) == (2, 2, 0)
    indirect = score(system, gold, "indirect")
    assert (indirect.matched_gold, indirect.gold, indirect.system) == (2, 2, 0)

def test_dev_pairs_takes_first_annotator_per_article(tmp_path: Path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a_2016.txt").write_text("x")
    (tmp_path / "text" / "b_2016.txt").write_text("x")
    for name in ("a_2016_ef2d.ann", "a_2016_4b22.ann"):
        (tmp_path / "attributions" / name).write_text("")
    pairs = dev_pairs(tmp_path)
    assert [(t.name, a.name) for t, a in pairs] == [("a_2016.txt", "a_2016_4b22.ann")]


def test_annotator_sets_keep_only_articles_with_several_versions(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for stem in ("a_2016-01-01_one", "a_2016-01-02_two"):
        (tmp_path / "text" / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    for name in ("a_2016-01-01_one_aaaa", "a_2016-01-01_one_bbbb", "a_2016-01-02_two_aaaa"):
        (tmp_path / "attributions" / f"{name}.ann").write_text(ANN, encoding="utf-8")
    sets = annotator_sets(tmp_path)
    assert [(text.stem, [a.stem for a in anns]) for text, anns in sets] == [
        ("a_2016-01-01_one", ["a_2016-01-01_one_aaaa", "a_2016-01-01_one_bbbb"])]


def test_agreement_scores_every_pair_of_versions():
    full = read_ann(ANN, TEXT)
    versions = [full, full, full[:1]]  # two identical versions and one with a single attribution
    pairs = agreement(versions)
    # pairs (full, full): 3 of 3 both ways; (full, one) twice: 1 match, 3 and 1 attributions
    assert (pairs.matched_gold, pairs.system, pairs.gold) == (5, 3 + 1 + 1, 3 + 3 + 3)
    assert agreement([full, full]).f1 == 1.0
