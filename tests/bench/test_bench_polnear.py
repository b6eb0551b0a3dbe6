"""The PolNeAR bench's reading of a split (bench/bench_polnear.py): one gold per article file."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_polnear import read_split  # noqa: E402

TEXT = "Acme Steel said the strike would end on Monday after the vote.\n"


def test_read_split_keeps_each_articles_gold_when_two_texts_are_the_same(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for name, content in (("a", "0 10\tAcme Steel"), ("b", "16 40\tthe strike would end on")):
        (tmp_path / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
        (tmp_path / "attributions" / f"{name}_1.ann").write_text(
            f"T1\tContent {content}\nT2\tCue 11 15\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2\n", encoding="utf-8")
    reports, golds = read_split(tmp_path)
    assert [r.file for r in reports] == ["a.txt", "b.txt"] and reports[0].id == reports[1].id
    assert golds["a.txt"][0].content == ((0, 10),) and golds["b.txt"][0].content == ((16, 40),)
