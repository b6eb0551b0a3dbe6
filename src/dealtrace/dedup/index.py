"""The copy index: finds copies, overlaps and story links of new reports among those already seen.

Two candidate generators feed one exact check:

- **MinHash LSH** over word shingles finds near-duplicates: bodies whose shingle sets have a
  high Jaccard similarity. It is the only path for widely syndicated stories, whose anchors are
  too common to be looked up. The MinHash is datasketch's; its bands (8 of 4 rows, the split
  datasketch picks for threshold 0.5 at 32 permutations) live in a posting array rather than
  in datasketch's hash tables, which cost about 5 kB per report (measured at 20k reports).
- **Anchors**: one shingle in `ANCHOR_EVERY` (chosen by hash, so every copy samples the same
  ones) goes into a sorted posting array. Bodies that share anchors share passages, which
  LSH cannot see when one body is much shorter than the other (a truncated repost, a rewrite
  that reuses two paragraphs).

Every candidate pair is then checked on the full shingle sets: a shorter body mostly inside a
longer one is a copy, one that shares a real passage overlaps. Story candidates come from the
bands of a MinHash over each report's topic terms (kept in a posting array: a datasketch
table per band would cost a gigabyte at 100k reports), checked by true Jaccard and the date
window. Groups (copies, stories) are union-find forests, so adding reports only ever merges
groups and `add` never recomputes the past.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

import numpy as np
from datasketch import MinHash

from ..model import Report
from . import persist
from .postings import Postings
from .signature import ANCHOR_EVERY, Signature, minhash_rows, sign

__all__ = ["CopyIndex", "COPY_CONTAINMENT", "OVERLAP_CONTAINMENT", "OVERLAP_MIN_SHARED", "TOPIC_JACCARD"]

log = logging.getLogger(__name__)

COPY_CONTAINMENT = 0.6  # share of the shorter body's shingles found in the longer one
COMPLETE_WITHIN = 0.95  # bodies with this share of the most prose are equally complete
OVERLAP_CONTAINMENT = 0.1  # ... and for a shared passage, with at least OVERLAP_MIN_SHARED shingles
OVERLAP_MIN_SHARED = 20  # about a 25-word passage: longer than any stock phrase
TOPIC_JACCARD = 0.25  # topic-term Jaccard of two reports on the same thread of events
TOPIC_BANDS = (16, 2)  # 16 bands of 2: found with p 0.64 at Jaccard 0.25, 0.87 at 0.35, 0.15 at 0.1
TOPIC_MAX_DF = 500  # a band shared by more reports than this says "same beat", not "same story"
NUM_PERM = 32
NEAR_BANDS = (8, 4)  # found with p 0.89 at Jaccard 0.7, 1.0 at 0.9 (datasketch's split for threshold 0.5)
TOPIC_PERM = 32
SEED = 1
ANCHOR_MAX_DF = 400  # anchors in more reports than this are stock phrases or mass syndication
MIN_SHARED_ANCHORS = 2
CHUNK = 2000  # new reports looked up at once; bounds the size of posting gathers
_NO_DATE = -1


def _band_keys(values: list[np.ndarray], positions: list[int], shape: tuple[int, int],
               salt: int) -> tuple[np.ndarray, np.ndarray]:
    """One 64-bit key per band of each MinHash (bands x rows values), and the position it belongs to."""
    bands, rows = shape
    if not positions:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    table = np.array(values, dtype=np.uint64)
    keys = np.full((len(positions), bands), np.uint64(salt), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            for row in range(rows):
                keys[:, band] = keys[:, band] * np.uint64(0x100000001B3) + table[:, band * rows + row]
            keys[:, band] ^= np.uint64(band) * np.uint64(0x9E3779B97F4A7C15)
    return keys.ravel(), np.repeat(np.array(positions, dtype=np.int64), bands)


def _ordinal(published: str | None) -> int:
    if not published:
        return _NO_DATE
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return _NO_DATE


class _Forest:
    """Union-find with member lists, so a merge knows whose links change."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.members: dict[int, list[int]] = {}

    def add(self) -> int:
        i = len(self.parent)
        self.parent.append(i)
        self.members[i] = [i]
        return i

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> tuple[int, int] | None:
        """Merge; returns (kept root, absorbed root) or None when already one group."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if len(self.members[ra]) < len(self.members[rb]) or (
                len(self.members[ra]) == len(self.members[rb]) and rb < ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra, rb


class CopyIndex:
    """What new reports are compared against; kept with the store so ingest is incremental."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.pos: dict[str, int] = {}
        self.days: list[int] = []
        self.clean: list[int] = []
        self.junk: list[int] = []
        self.shingles: list[np.ndarray] = []
        self.terms: list[np.ndarray] = []
        self.near_values: list[np.ndarray] = []
        self.topic_values: list[np.ndarray] = []
        self.copies = _Forest()
        self.canonical: dict[int, int] = {}  # copy-group root -> canonical member
        self.stories = _Forest()
        self.story_id: dict[int, str] = {}  # story root -> story id (its first report's id)
        self.overlaps: dict[int, set[int]] = {}
        self._near = Postings(np.uint64)  # bands of the shingle MinHash
        self._topic = Postings(np.uint64)  # bands of the topic MinHash
        self._near_template = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)
        self._topic_template = MinHash(num_perm=TOPIC_PERM, seed=SEED + 1, hashfunc=int)
        self._anchors = Postings(np.uint32)
        self._before: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, report_id: object) -> bool:
        return report_id in self.pos

    # -- adding ---------------------------------------------------------------------------

    def add(self, reports: list[Report], window_days: int = 14) -> list[Report]:
        """Link new reports with those already indexed (and with each other).

        Sets copy_of / overlaps / story on every report given. Returns the reports indexed
        before this call whose links changed, as stubs that carry only `id`, `copy_of`,
        `overlaps` and `story` (the index keeps signatures, not bodies). A report whose id is
        already indexed (same normalised body) gets the links of the indexed one.
        """
        start = len(self.ids)
        fresh: list[int] = []
        for report in reports:
            if report.id not in self.pos:
                fresh.append(self._append(sign(report.id, report.body, report.published)))
        if fresh:
            self._link(fresh, window_days, start)
        changed = self._changed_since(start)
        for report in reports:
            self._fill(report, self.pos[report.id])
        return changed

    def _append(self, sig: Signature) -> int:
        i = len(self.ids)
        self.ids.append(sig.id)
        self.pos[sig.id] = i
        self.days.append(_ordinal(sig.published))
        self.clean.append(sig.clean)
        self.junk.append(sig.junk)
        self.shingles.append(sig.shingles)
        self.terms.append(sig.terms)
        self.copies.add()
        self.canonical[i] = i
        self.stories.add()
        self.story_id[i] = sig.id
        return i

    def _link(self, fresh: list[int], window_days: int, start: int) -> None:
        for lo in range(0, len(fresh), CHUNK):
            chunk = fresh[lo:lo + CHUNK]
            self.near_values.extend(minhash_rows([self.shingles[i] for i in chunk], self._near_template.permutations))
            self.topic_values.extend(minhash_rows([self.terms[i] for i in chunk], self._topic_template.permutations))
            self._insert_lsh(chunk)
            self._insert_anchors(chunk)
            self._insert_bands(chunk)
            pairs = self._anchor_pairs(chunk) | self._near_pairs(chunk)
            for i, j in sorted(pairs):
                self._check_pair(i, j, start)
            topical = self._topic_pairs(chunk)
            for i, j in sorted(topical):
                if self._same_story(i, j, window_days):
                    self._join_story(i, j, start)
            log.debug("copy index: %d new reports, %d copy/overlap candidates, %d story candidates",
                      len(chunk), len(pairs), len(topical))

    def _insert_lsh(self, chunk: list[int]) -> None:
        self._near.insert(*self._near_keys(chunk))

    def _near_keys(self, chunk: list[int]) -> tuple[np.ndarray, np.ndarray]:
        chunk = [i for i in chunk if self.shingles[i].size]
        return _band_keys([self.near_values[i] for i in chunk], chunk, NEAR_BANDS, salt=1)

    def _anchor_keys(self, chunk: list[int]) -> tuple[np.ndarray, np.ndarray]:
        keys = [self.shingles[i][self.shingles[i] % ANCHOR_EVERY == 0] for i in chunk]
        owners = [np.full(k.size, i, dtype=np.int64) for i, k in zip(chunk, keys)]
        return (np.concatenate(keys) if keys else np.zeros(0, np.uint32),
                np.concatenate(owners) if owners else np.zeros(0, np.int64))

    def _insert_anchors(self, chunk: list[int]) -> None:
        self._anchors.insert(*self._anchor_keys(chunk))

    def _anchor_pairs(self, chunk: list[int]) -> set[tuple[int, int]]:
        """(new, earlier) pairs that share enough anchors; each pair once, from its later report."""
        keys, owners = self._anchor_keys(chunk)
        mine, other = self._anchors.earlier_matches(keys, owners, ANCHOR_MAX_DF)
        if not mine.size:
            return set()
        uniq, counts = np.unique(mine * (1 << 32) + other, return_counts=True)
        few = {i for i in chunk if int(np.count_nonzero(self.shingles[i] % ANCHOR_EVERY == 0)) < 2 * MIN_SHARED_ANCHORS}
        return {(key >> 32, key & 0xFFFFFFFF) for key, count in zip(uniq.tolist(), counts.tolist())
                if count >= MIN_SHARED_ANCHORS or key >> 32 in few}

    def _topic_keys(self, chunk: list[int]) -> tuple[np.ndarray, np.ndarray]:
        chunk = [i for i in chunk if self.terms[i].size]
        return _band_keys([self.topic_values[i] for i in chunk], chunk, TOPIC_BANDS, salt=0)

    def _insert_bands(self, chunk: list[int]) -> None:
        self._topic.insert(*self._topic_keys(chunk))

    def _topic_pairs(self, chunk: list[int]) -> set[tuple[int, int]]:
        mine, other = self._topic.earlier_matches(*self._topic_keys(chunk), TOPIC_MAX_DF)
        return set(zip(mine.tolist(), other.tolist()))

    def _near_pairs(self, chunk: list[int]) -> set[tuple[int, int]]:
        """(new, earlier) pairs with one whole band of their MinHash alike: LSH candidates."""
        mine, other = self._near.earlier_matches(*self._near_keys(chunk), max_df=len(self.ids))
        return set(zip(mine.tolist(), other.tolist()))

    def _check_pair(self, i: int, j: int, start: int) -> None:
        """Copy, overlap or nothing, on the true shingle sets."""
        a, b = self.shingles[i], self.shingles[j]
        shorter = min(a.size, b.size)
        if not shorter:
            return
        shared = np.intersect1d(a, b, assume_unique=True).size
        if shared >= COPY_CONTAINMENT * shorter:
            self._join_copies(i, j, start)
        elif shared >= OVERLAP_MIN_SHARED and shared >= OVERLAP_CONTAINMENT * shorter:
            self._remember(i, start)
            self._remember(j, start)
            self.overlaps.setdefault(i, set()).add(j)
            self.overlaps.setdefault(j, set()).add(i)
            self._join_story(i, j, start)

    def _same_story(self, i: int, j: int, window_days: int) -> bool:
        """Topic terms alike (true Jaccard) and dates within the window (or a date unknown)."""
        day, other = self._story_day(i), self._story_day(j)
        if day != _NO_DATE and other != _NO_DATE and abs(day - other) > window_days:
            return False
        a, b = self.terms[i], self.terms[j]
        shared = np.intersect1d(a, b, assume_unique=True).size
        return shared / (a.size + b.size - shared) >= TOPIC_JACCARD

    def _story_day(self, i: int) -> int:
        """A report's date, or for an undated copy the earliest date in its copy group."""
        if self.days[i] != _NO_DATE:
            return self.days[i]
        dated = [self.days[m] for m in self.copies.members[self.copies.find(i)] if self.days[m] != _NO_DATE]
        return min(dated) if dated else _NO_DATE

    def _most_complete(self, members: list[int]) -> int:
        """The canonical of a copy group: the most complete clean body, earliest when equal.

        Bodies within 5% of the most prose count as equally complete (an update that swapped
        two words for four is not more complete); among them the fewest junk lines wins, then
        the earliest date, then the id.
        """
        most = max(self.clean[m] for m in members)
        equal = [m for m in members if self.clean[m] >= COMPLETE_WITHIN * most]
        return min(equal, key=lambda m: (self.junk[m], self.days[m] if self.days[m] != _NO_DATE else 10**9,
                                         self.ids[m]))

    def _join_copies(self, i: int, j: int, start: int) -> None:
        ri, rj = self.copies.find(i), self.copies.find(j)
        if ri == rj:
            return
        for member in self.copies.members[ri] + self.copies.members[rj]:
            self._remember(member, start)
        self.canonical.pop(ri)
        self.canonical.pop(rj)
        kept, _ = self.copies.union(i, j)
        self.canonical[kept] = self._most_complete(self.copies.members[kept])
        self._join_story(i, j, start)

    def _join_story(self, i: int, j: int, start: int) -> None:
        ri, rj = self.stories.find(i), self.stories.find(j)
        if ri == rj:
            return
        big, small = (ri, rj) if (len(self.stories.members[ri]), -ri) >= (len(self.stories.members[rj]), -rj) \
            else (rj, ri)
        for member in self.stories.members[small]:
            self._remember(member, start)
        name = self.story_id.pop(big)
        self.story_id.pop(small)
        kept, _ = self.stories.union(big, small)
        self.story_id[kept] = name

    # -- reading links --------------------------------------------------------------------

    def _remember(self, i: int, start: int) -> None:
        """Note an older report's links before a change, to report it afterwards."""
        if i < start and i not in self._before:
            self._before[i] = self.links(i)

    def _changed_since(self, start: int) -> list[Report]:
        before, self._before = self._before, {}
        changed = []
        for i, old in sorted(before.items()):
            now = self.links(i)
            if now != old:
                changed.append(Report(id=self.ids[i], file=None, source=None, raw_text="", body="",
                                      copy_of=now[0], overlaps=list(now[1]), story=now[2]))
        return changed

    def links(self, i: int) -> tuple[str | None, tuple[str, ...], str]:
        """(copy_of, overlaps, story) of the report at position i."""
        canonical = self.canonical[self.copies.find(i)]
        copy_of = None if canonical == i else self.ids[canonical]
        overlaps = tuple(sorted(self.ids[j] for j in self.overlaps.get(i, ())))
        return copy_of, overlaps, self.story_id[self.stories.find(i)]

    def _fill(self, report: Report, i: int) -> None:
        report.copy_of, overlaps, report.story = self.links(i)
        report.overlaps = list(overlaps)

    def copy_groups(self) -> dict[str, list[str]]:
        """Canonical id -> ids of its copies, for groups with at least one copy."""
        return {self.ids[self.canonical[root]]: sorted(self.ids[m] for m in members
                                                       if m != self.canonical[root])
                for root, members in self.copies.members.items() if len(members) > 1}

    # -- persistence ----------------------------------------------------------------------

    def segment(self, start: int = 0) -> bytes:
        """The signatures of the reports indexed from position `start` on.

        Signatures never change once indexed, so a store keeps them as append-only segments and
        each save writes only what is new; the links, which do change, go in `state()`.
        """
        return persist.pack({"start": start, "ids": self.ids[start:]}, persist.segment_arrays(self, start))

    def state(self) -> bytes:
        """The links of every indexed report: a few integers each, rewritten on every save."""
        return persist.pack({"n": len(self.ids), "overlaps": [[i, sorted(js)] for i, js in self.overlaps.items()]},
                            persist.state_arrays(self))

    @classmethod
    def load(cls, state: bytes | None, segments: Iterable[bytes]) -> "CopyIndex":
        """The index saved as `state()` and the `segment()`s written since it was empty.

        Segments past the state's count (written by a run that died before saving the state) are
        ignored; the reports in them are re-linked when their run is re-done.
        """
        index = cls()
        if not state:
            return index
        head, arrays = persist.unpack(state)
        n = head["n"]
        for data in segments:
            if len(index.ids) >= n:
                break
            part, columns = persist.unpack(data)
            if part["start"] != len(index.ids):
                raise ValueError(f"copy index segment at {part['start']} does not follow {len(index.ids)} reports")
            persist.extend(index, part["ids"], columns)
        if len(index.ids) < n:
            raise ValueError(f"copy index state covers {n} reports, its segments {len(index.ids)}")
        del index.ids[n:], index.days[n:], index.clean[n:], index.junk[n:], index.shingles[n:], index.terms[n:]
        del index.near_values[n:], index.topic_values[n:]
        index.pos = {rid: i for i, rid in enumerate(index.ids)}
        persist.restore_links(index, arrays, head["overlaps"])
        everyone = list(range(n))
        for lo in range(0, n, 20000):
            index._insert_lsh(everyone[lo:lo + 20000])
        index._anchors.load(*index._anchor_keys(everyone))  # gathers the anchors only, not every shingle
        index._topic.load(*index._topic_keys(everyone))
        return index

    def to_bytes(self) -> bytes:
        """The whole index in one piece: its state and one segment."""
        return persist.pack({"parts": 2}, {"state": np.frombuffer(self.state(), np.uint8),
                                           "segment": np.frombuffer(self.segment(0), np.uint8)})

    @classmethod
    def from_bytes(cls, data: bytes | None) -> "CopyIndex":
        """An index from `to_bytes` output; an empty index for None or b""."""
        if not data:
            return cls()
        _, parts = persist.unpack(data)
        return cls.load(parts["state"].tobytes(), [parts["segment"].tobytes()])
