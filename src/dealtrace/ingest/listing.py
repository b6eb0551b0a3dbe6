"""The files under a folder in a stable (sorted) order, listed as they are read instead of all at once.

`sorted(folder.rglob(pattern))` builds a Path for every file of the tree (about 380 bytes each,
with the set rglob keeps to skip repeats) before the first file is read: 38 MB held through a
whole ingest of 100k inputs. `sorted_files` yields the same paths in the same order but reads each
folder in passes of its next `PASS_NAMES` names, so it holds at most that many names per level.
"""

from __future__ import annotations

import heapq
import os
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterator

__all__ = ["sorted_files", "PASS_NAMES"]

PASS_NAMES = 4096  # names held per folder level; a folder of n entries is scanned n / PASS_NAMES + 1 times


def sorted_files(folder: Path, pattern: str) -> Iterator[Path]:
    """What `sorted(folder.rglob(pattern))` lists (files and folders whose name matches), in its order.

    Sorted paths compare part by part, so their order is a depth-first walk with each folder's
    names sorted, each subfolder entered right after its own name. Like rglob, a symlink to a
    folder is listed but not entered, and a folder that cannot be read lists nothing. A pattern
    with a path separator goes to rglob itself.
    """
    if "/" in pattern or os.sep in pattern:
        yield from sorted(folder.rglob(pattern))
        return
    for name, is_dir in _sorted_entries(folder):
        path = folder / name
        if fnmatchcase(name, pattern):
            yield path
        if is_dir:
            yield from sorted_files(path, pattern)


def _sorted_entries(folder: Path) -> Iterator[tuple[str, bool]]:
    """(name, is a folder not reached by a symlink) of each entry of `folder`, in name order, a pass at a time."""
    last: str | None = None
    while True:
        batch = _next_names(folder, last)
        yield from batch
        if len(batch) < PASS_NAMES:
            return
        last = batch[-1][0]


def _next_names(folder: Path, after: str | None) -> list[tuple[str, bool]]:
    """The `PASS_NAMES` smallest entries of `folder` whose names come after `after`."""
    try:
        with os.scandir(folder) as entries:
            later = ((entry.name, _is_folder(entry)) for entry in entries if after is None or entry.name > after)
            return heapq.nsmallest(PASS_NAMES, later)
    except PermissionError:
        return []


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
