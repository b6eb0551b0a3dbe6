"""The streamed input listing lists what sorted(rglob) lists, in its order, holding a pass of names at a time."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dealtrace.ingest import listing
from dealtrace.ingest.listing import sorted_files

NAMES = ["a", "a-b", "a.txt", "B", "b", "_x", ".hidden", "z9", "z10", "é", "a b", "r000010.txt", "r000009.txt"]


def _tree(folder: Path, rng: random.Random, depth: int = 0) -> None:
    for name in rng.sample(NAMES, rng.randint(4, len(NAMES))):
        if depth < 3 and rng.random() < 0.3:
            (folder / name).mkdir()
            _tree(folder / name, rng, depth + 1)
        else:
            (folder / name).write_text("x")


@pytest.mark.parametrize("pattern", ["*", "*.txt", "a*", "[ab]*", "*/x"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_paths_in_the_same_order_as_sorted_rglob(tmp_path, monkeypatch, pattern, seed):
    monkeypatch.setattr(listing, "PASS_NAMES", 3)  # several passes over every folder
    _tree(tmp_path, random.Random(seed))
    (tmp_path / "link").symlink_to(tmp_path / "a" if (tmp_path / "a").is_dir() else tmp_path)
    assert list(sorted_files(tmp_path, pattern)) == sorted(tmp_path.rglob(pattern))


def test_a_large_folder_is_read_in_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(listing, "PASS_NAMES", 10)
    for i in range(95):
        (tmp_path / f"r{i:03d}.txt").write_text("x")
    held = []
    original = listing._next_names
    monkeypatch.setattr(listing, "_next_names", lambda folder, after: held.append(len(r := original(folder, after))) or r)
    assert [path.name for path in sorted_files(tmp_path, "*.txt")] == [f"r{i:03d}.txt" for i in range(95)]
    assert held == [10] * 9 + [5]
