"""Where the copy index keeps what grows with the corpus: signatures, ids and posting lists.

The index's logic (`index.py`) asks a backing for the few signatures a batch's candidates need
and for the postings of the batch's keys; it never walks the whole corpus. `MemoryBacking`
keeps everything in this process (one batch, tests, `to_bytes`). The store keeps the same data
in tables (`dealtrace.store.copyindex.StoredBacking`), so a long ingest holds a few integers per
report in memory, not its shingles.

Posting kinds: the bands of the shingle MinHash, the anchors (sampled shingles), and the bands
of the topic MinHash. Keys are handled as int64 (uint64 band keys reinterpreted, uint32
anchors widened), the form a database column takes them in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import numpy as np

from .postings import Postings
from .signature import Signature

__all__ = ["Backing", "MemoryBacking", "NEAR", "ANCHOR", "TOPIC", "as_keys"]

NEAR, ANCHOR, TOPIC = 0, 1, 2  # posting kinds


def as_keys(keys: np.ndarray) -> np.ndarray:
    """Keys as int64: uint64 bit patterns reinterpreted, narrower integers widened."""
    keys = np.asarray(keys)
    if keys.dtype == np.uint64:
        return keys.view(np.int64)
    return keys.astype(np.int64)


class Backing(Protocol):
    def __len__(self) -> int: ...

    def positions(self, report_ids: Iterable[str]) -> dict[str, int]: ...

    def ids(self, positions: Iterable[int]) -> dict[int, str]: ...

    def append(self, start: int, signatures: list[Signature], days: list[int]) -> None: ...

    def shingles(self, positions: Iterable[int]) -> dict[int, np.ndarray]: ...

    def terms(self, positions: Iterable[int]) -> dict[int, np.ndarray]: ...

    def insert(self, kind: int, keys: np.ndarray, docs: np.ndarray) -> None: ...

    def earlier_matches(self, kind: int, keys: np.ndarray, owners: np.ndarray,
                        max_df: int) -> tuple[np.ndarray, np.ndarray]: ...

    def truncate(self, n: int) -> None: ...

    def qualities(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...


class MemoryBacking:
    """Everything in lists and numpy posting arrays: for one batch, tests and `to_bytes`."""

    def __init__(self) -> None:
        self.report_ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.shingle_sets: list[np.ndarray] = []
        self.term_sets: list[np.ndarray] = []
        self.days: list[int] = []
        self.clean: list[int] = []
        self.junk: list[int] = []
        self.postings = {kind: Postings(np.int64) for kind in (NEAR, ANCHOR, TOPIC)}

    def __len__(self) -> int:
        return len(self.report_ids)

    def positions(self, report_ids: Iterable[str]) -> dict[str, int]:
        return {rid: self.pos[rid] for rid in report_ids if rid in self.pos}

    def ids(self, positions: Iterable[int]) -> dict[int, str]:
        return {i: self.report_ids[i] for i in positions}

    def append(self, start: int, signatures: list[Signature], days: list[int]) -> None:
        if start != len(self.report_ids):
            raise ValueError(f"copy index rows at {start} do not follow {len(self.report_ids)}")
        for sig, day in zip(signatures, days):
            self.pos[sig.id] = len(self.report_ids)
            self.report_ids.append(sig.id)
            self.shingle_sets.append(sig.shingles)
            self.term_sets.append(sig.terms)
            self.days.append(day)
            self.clean.append(sig.clean)
            self.junk.append(sig.junk)

    def shingles(self, positions: Iterable[int]) -> dict[int, np.ndarray]:
        return {i: self.shingle_sets[i] for i in positions}

    def terms(self, positions: Iterable[int]) -> dict[int, np.ndarray]:
        return {i: self.term_sets[i] for i in positions}

    def insert(self, kind: int, keys: np.ndarray, docs: np.ndarray) -> None:
        self.postings[kind].insert(as_keys(keys), docs)

    def earlier_matches(self, kind: int, keys: np.ndarray, owners: np.ndarray,
                        max_df: int) -> tuple[np.ndarray, np.ndarray]:
        return self.postings[kind].earlier_matches(as_keys(keys), owners, max_df)

    def truncate(self, n: int) -> None:
        """Nothing outlives a crash here: the rows are exactly what the index added."""
        if n != len(self.report_ids):
            raise ValueError(f"copy index of {n} reports over {len(self.report_ids)} rows")

    def qualities(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (np.array(self.days[:n], np.int32), np.array(self.clean[:n], np.int32),
                np.array(self.junk[:n], np.int32))
