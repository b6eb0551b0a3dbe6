"""The copy index's signatures and postings in store tables, so ingest memory does not grow with the corpus.

`CopyIndex` (dealtrace.dedup) asks for the postings of one batch's keys and the signatures of its
candidates; here those are indexed lookups on `copy_postings` and `copy_signatures`. Every table
works on SQLite and PostgreSQL alike. Writes happen while the caller holds the ingest lock; rows
past the saved state's count are a crashed run's, and `truncate` drops them (and takes their
postings off the key counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import delete, func, select

from ..dedup.backing import as_keys
from ..dedup.postings import Postings
from . import schema

if TYPE_CHECKING:
    from ..dedup.signature import Signature
    from . import Store

__all__ = ["StoredBacking"]

_LOOKUP = 2000  # keys or positions per IN list: far below SQLite's and PostgreSQL's parameter limits
_QUALITY_ROWS = 8192  # signature rows read at once when the index is loaded
_SIG = schema.copy_signatures
_POST = schema.copy_postings

# The postings of the listed keys held by 2..max_df reports: keys held once match nothing, keys
# held by more are stock phrases or mass syndication, and their (long) lists are never read. The
# counts come from copy_keys, so a lookup costs the same at 100k reports as at 1k. The keys are bound
# by the driver itself (`exec_driver_sql`: SQLAlchemy neither expands nor processes them), the list
# padded to one of `_SIZES`, so that the statement's text repeats (`_padded`).
_MATCHES = ('SELECT p."key", p.pos FROM copy_keys d JOIN copy_postings p ON p.kind = d.kind AND p."key" = d."key" '
            'WHERE d.kind = {mark} AND d."key" IN ({marks}) AND d.df BETWEEN 2 AND {mark}')
_INSERT_POSTINGS = 'INSERT INTO copy_postings (kind, "key", pos) VALUES ({marks})'
_COUNT_KEYS = ('INSERT INTO copy_keys (kind, "key", df) VALUES ({marks}) '
               'ON CONFLICT (kind, "key") DO UPDATE SET df = copy_keys.df + excluded.df')
_UNCOUNT_KEYS = 'UPDATE copy_keys SET df = df - {mark} WHERE kind = {mark} AND "key" = {mark}'


_SIZES = (16, 128, 1024, _LOOKUP)


def _parts(values: list, size: int = _LOOKUP) -> Iterator[list]:
    for lo in range(0, len(values), size):
        yield values[lo:lo + size]


def _padded(part: list) -> list:
    """The list with its last value repeated up to the next of `_SIZES` (an IN list means the same).

    The database driver keeps a prepared statement per SQL text (SQLite's: the last 128 per
    connection, 40-140 kB each with a long IN list); a text per list length, or with the keys
    written into it, filled that cache with one-off statements over the first thousands of reports.
    """
    size = next(size for size in _SIZES if size >= len(part))
    return part + part[-1:] * (size - len(part))


class StoredBacking:
    """A `dealtrace.dedup.backing.Backing` over the store's copy-index tables."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        self.mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"  # the driver's placeholder

    def __len__(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(_SIG)).scalar_one()

    def positions(self, report_ids: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        with self.engine.connect() as connection:
            for part in _parts(sorted(set(report_ids))):
                query = select(_SIG.c.report_id, _SIG.c.pos).where(_SIG.c.report_id.in_(_padded(part)))
                found.update((rid, pos) for rid, pos in connection.execute(query))
        return found

    def ids(self, positions: Iterable[int]) -> dict[int, str]:
        return {i: rid for i, rid in self._column(_SIG.c.report_id, positions)}

    def shingles(self, positions: Iterable[int]) -> dict[int, np.ndarray]:
        return {i: np.frombuffer(data, np.uint32) for i, data in self._column(_SIG.c.shingles, positions)}

    def terms(self, positions: Iterable[int]) -> dict[int, np.ndarray]:
        return {i: np.frombuffer(data, np.uint32) for i, data in self._column(_SIG.c.terms, positions)}

    def _column(self, column, positions: Iterable[int]) -> Iterator[tuple[int, object]]:
        with self.engine.connect() as connection:
            for part in _parts(sorted(set(positions))):
                yield from connection.execute(select(_SIG.c.pos, column).where(_SIG.c.pos.in_(_padded(part))))

    def append(self, start: int, signatures: list[Signature], days: list[int]) -> None:
        rows = [{"pos": start + k, "report_id": sig.id, "day": day, "clean": sig.clean, "junk": sig.junk,
                 "shingles": np.ascontiguousarray(sig.shingles, np.uint32).tobytes(),
                 "terms": np.ascontiguousarray(sig.terms, np.uint32).tobytes()}
                for k, (sig, day) in enumerate(zip(signatures, days))]
        with self.engine.begin() as connection:
            for part in _parts(rows, 500):
                connection.execute(_SIG.insert(), part)

    def insert(self, kind: int, keys: np.ndarray, docs: np.ndarray) -> None:
        """New postings (their positions are past every stored one, so none is there yet) and their keys' counts."""
        if not keys.size:
            return
        keys, docs = as_keys(keys), np.asarray(docs, np.int64)
        order = np.lexsort((docs, keys))
        keys, docs = keys[order], docs[order]
        fresh = np.ones(keys.size, bool)
        fresh[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])  # a key twice in one report counts once
        keys, docs = keys[fresh], docs[fresh]
        counted, counts = np.unique(keys, return_counts=True)
        marks = ", ".join([self.mark] * 3)
        with self.engine.begin() as connection:
            connection.exec_driver_sql(_INSERT_POSTINGS.format(marks=marks),
                                       list(zip([kind] * keys.size, keys.tolist(), docs.tolist())))
            connection.exec_driver_sql(_COUNT_KEYS.format(marks=marks),
                                       list(zip([kind] * counted.size, counted.tolist(), counts.tolist())))

    def earlier_matches(self, kind: int, keys: np.ndarray, owners: np.ndarray,
                        max_df: int) -> tuple[np.ndarray, np.ndarray]:
        """What `Postings.earlier_matches` gives, reading only the postings of these keys."""
        keys = as_keys(keys)
        found_keys: list[int] = []
        found_docs: list[int] = []
        with self.engine.connect() as connection:
            for part in _parts(np.unique(keys).tolist()):
                part = _padded(part)
                query = _MATCHES.format(mark=self.mark, marks=", ".join([self.mark] * len(part)))
                for key, pos in connection.exec_driver_sql(query, (int(kind), *part, int(max_df))):
                    found_keys.append(key)
                    found_docs.append(pos)
        local = Postings(np.int64)
        local.load(np.array(found_keys, np.int64), np.array(found_docs, np.int64))
        return local.earlier_matches(keys, owners, max_df)

    def truncate(self, n: int) -> None:
        """Drop the rows past position n: signatures come before postings, so a signature past n tells."""
        with self.engine.begin() as connection:
            last = connection.execute(select(func.max(_SIG.c.pos))).scalar()
            if last is None or last < n:
                return
            stale = connection.execute(select(_POST.c.kind, _POST.c.key, func.count()).where(_POST.c.pos >= n)
                                       .group_by(_POST.c.kind, _POST.c.key)).all()
            if stale:
                connection.exec_driver_sql(_UNCOUNT_KEYS.format(mark=self.mark),
                                           [(count, kind, key) for kind, key, count in stale])
            connection.execute(delete(_POST).where(_POST.c.pos >= n))
            connection.execute(delete(_SIG).where(_SIG.c.pos >= n))

    def qualities(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Day, prose size and junk lines of the first n positions, in order; read in parts, since a row
        object per report held at once took 30 MB at 100k reports."""
        table = np.zeros((n, 3), dtype=np.int64)
        count = 0
        with self.engine.connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=_QUALITY_ROWS).execute(
                select(_SIG.c.day, _SIG.c.clean, _SIG.c.junk).where(_SIG.c.pos < n).order_by(_SIG.c.pos))
            for part in result.partitions():
                table[count:count + len(part)] = part
                count += len(part)
        table = table[:count]
        return table[:, 0], table[:, 1], table[:, 2]
