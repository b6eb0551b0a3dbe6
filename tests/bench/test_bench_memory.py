"""The memory bench's corpus: copies as frequent per report at any size, no passage shared by chance."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import bench_memory  # noqa: E402
from dealtrace.dedup import link_reports  # noqa: E402
from dealtrace.ingest import read_reports  # noqa: E402

pytestmark = pytest.mark.skipif(not bench_memory.POOL.is_dir(), reason="needs ../shared/bench/polnear")


def test_copies_come_from_the_bench_share_and_no_passage_is_shared_by_chance(tmp_path):
    pool = bench_memory.sentence_pool()
    folder = bench_memory.write_corpus(tmp_path / "corpus", 600, pool, sentences=(2, 4))
    reports = list(read_reports([folder]))
    assert len(reports) == 600
    link_reports(reports)
    copies = sum(1 for report in reports if report.copy_of) / len(reports)
    links = sum(len(report.overlaps) for report in reports) / len(reports)
    # 8% copies; no passage shared by chance (whole pool sentences, or whole halves of long ones,
    # drawn at random gave copies and overlap links that grew with the corpus).
    assert 0.04 <= copies <= 0.13
    assert links <= 0.05
    assert {report.published for report in reports[:100]} == {"2024-01-01"}
