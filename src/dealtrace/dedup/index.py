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

What grows with the corpus (shingles, topic terms, ids, postings) sits in a backing
(`backing.py`): in memory for one batch, in store tables for ingest. The index itself holds
a few 32-bit integers per report (date, size, junk lines, two forest parents) and member
lists for the groups that have more than one report.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

import numpy as np
from datasketch import MinHash

from ..model import Report
from . import persist
from .backing import ANCHOR, NEAR, TOPIC, Backing, MemoryBacking
from .signature import ANCHOR_EVERY, Signature, minhash_rows, sign

__all__ = ["CopyIndex", "LinkChange", "COPY_CONTAINMENT", "OVERLAP_CONTAINMENT", "OVERLAP_MIN_SHARED", "TOPIC_JACCARD"]

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
_NEAR_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int).permutations
_TOPIC_PERMUTATIONS = MinHash(num_perm=TOPIC_PERM, seed=SEED + 1, hashfunc=int).permutations

Links = tuple[int | None, frozenset[int], int]  # canonical (None: itself), overlapping, story name


class LinkChange(NamedTuple):
    """An indexed report's new links. Two stories joining rename every report of the smaller one
    (tens of thousands in a long feed), so each change is a tuple, not a Report: 144 bytes instead
    of 584 (without the id, which both hold)."""

    id: str
    copy_of: str | None
    overlaps: list[str]
    story: str


def _band_keys(table: np.ndarray, positions: list[int], shape: tuple[int, int],
               salt: int) -> tuple[np.ndarray, np.ndarray]:
    """One 64-bit key per band of each MinHash row (bands x rows values), and the position it belongs to."""
    bands, rows = shape
    if not positions:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    table = np.asarray(table, dtype=np.uint64)
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
    """Union-find over positions; member lists are kept only for groups of two or more, as 32-bit
    arrays (a list of Python ints took 36 bytes a member: a story of 64k reports, 2.3 MB)."""

    def __init__(self) -> None:
        self.parent = array("i")
        self.groups: dict[int, array] = {}

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def members(self, root: int) -> array:
        return self.groups.get(root) or array("i", [root])

    def size(self, root: int) -> int:
        group = self.groups.get(root)
        return len(group) if group else 1

    def union(self, a: int, b: int) -> tuple[int, int] | None:
        """Merge; returns (kept root, absorbed root) or None when already one group."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if self.size(ra) < self.size(rb) or (self.size(ra) == self.size(rb) and rb < ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        # The larger list grows in place: a story that keeps absorbing small groups would be copied whole each time.
        self.groups.setdefault(ra, array("i", [ra])).extend(self.groups.pop(rb, None) or array("i", [rb]))
        return ra, rb

    def restore(self, parent: np.ndarray) -> None:
        """The forest saved as its parent array, paths compressed; each group's members in position
        order after its root. Done on arrays: a Python int per report cost 31 MB at 100k reports."""
        roots = parent.astype(np.int32)
        while True:  # pointer jumping: every position ends at its root
            above = roots[roots]
            if np.array_equal(above, roots):
                break
            roots = above
        self.parent = array("i", roots.tobytes())
        self.groups = {}
        members = np.flatnonzero(roots != np.arange(roots.size, dtype=np.int32)).astype(np.int32)
        if not members.size:
            return
        by_root = members[np.argsort(roots[members], kind="stable")]
        group_roots, starts = np.unique(roots[by_root], return_index=True)
        for root, part in zip(group_roots.tolist(), np.split(by_root, starts[1:])):
            group = array("i", [root])
            group.frombytes(part.tobytes())
            self.groups[root] = group


class CopyIndex:
    """What new reports are compared against; kept with the store so ingest is incremental."""

    def __init__(self, backing: Backing | None = None) -> None:
        self.backing: Backing = backing if backing is not None else MemoryBacking()
        self.days = array("i")
        self.clean = array("i")
        self.junk = array("i")
        self.copies = _Forest()
        self.canonical: dict[int, int] = {}  # copy-group root -> canonical member (groups of two or more)
        self.stories = _Forest()
        self.story_name: dict[int, int] = {}  # story root -> the member whose id names it (two or more)
        self.overlaps: dict[int, array] = {}  # 32-bit positions: a set of ints took about 1 kB per report
        self._before: dict[int, Links] = {}
        self._fresh: dict[int, Signature] = {}  # the signatures of the batch being linked

    def __len__(self) -> int:
        return len(self.days)

    def __contains__(self, report_id: object) -> bool:
        return isinstance(report_id, str) and bool(self._positions([report_id]))

    def indexed(self, report_ids: Iterable[str]) -> set[str]:
        """Which of these ids the index holds (one lookup for them all)."""
        return set(self._positions(report_ids))

    def _positions(self, report_ids: Iterable[str]) -> dict[str, int]:
        """Positions of indexed ids (rows a crashed run left past the index's end do not count)."""
        n = len(self)
        return {rid: i for rid, i in self.backing.positions(report_ids).items() if i < n}

    # -- adding ---------------------------------------------------------------------------

    def add(self, reports: list[Report], window_days: int = 14) -> list[LinkChange]:
        """Link new reports with those already indexed (and with each other).

        Sets copy_of / overlaps / story on every report given. Returns the reports indexed
        before this call whose links changed, as `LinkChange`s (the index keeps signatures, not
        bodies). A report whose id is
        already indexed (same normalised body) gets the links of the indexed one.

        With a stored backing the caller holds the store's ingest lock and an index loaded
        since the last save: rows past this index's end are a crashed run's and are dropped.
        """
        start = len(self)
        self.backing.truncate(start)
        where = self._positions(report.id for report in reports)
        fresh: list[Signature] = []
        for report in reports:
            if report.id not in where:
                where[report.id] = start + len(fresh)
                fresh.append(sign(report.id, report.body, report.published))
        if fresh:
            self._append(start, fresh)
            try:
                self._link(list(range(start, len(self))), window_days, start)
            finally:
                self._fresh = {}
        changed = self._changed_since(start)
        self._fill(reports, where)
        return changed

    def _append(self, start: int, signatures: list[Signature]) -> None:
        days = [_ordinal(sig.published) for sig in signatures]
        self.backing.append(start, signatures, days)
        for k, (sig, day) in enumerate(zip(signatures, days)):
            self.days.append(day)
            self.clean.append(sig.clean)
            self.junk.append(sig.junk)
            self.copies.add()
            self.stories.add()
            self._fresh[start + k] = sig

    def _link(self, fresh: list[int], window_days: int, start: int) -> None:
        for lo in range(0, len(fresh), CHUNK):
            chunk = fresh[lo:lo + CHUNK]
            near_keys, anchor_keys, topic_keys = self._insert_keys(chunk)
            pairs = self._anchor_pairs(chunk, anchor_keys) | self._near_pairs(near_keys)
            shingles = self._signatures(self.backing.shingles, (j for pair in pairs for j in pair), "shingles")
            for i, j in sorted(pairs):
                self._check_pair(i, j, shingles[i], shingles[j], start)
            topical = self._topic_pairs(topic_keys, window_days)
            terms = self._signatures(self.backing.terms, (j for pair in topical for j in pair), "terms")
            for i, j in sorted(topical):
                if self._same_story(i, j, terms[i], terms[j], window_days):
                    self._join_story(i, j, start)
            log.debug("copy index: %d new reports, %d copy/overlap candidates, %d story candidates",
                      len(chunk), len(pairs), len(topical))

    def _insert_keys(self, chunk: list[int]) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """Post the near-duplicate bands, anchors and topic bands of the chunk's fresh signatures; returns them."""
        near = minhash_rows([self._fresh[i].shingles for i in chunk], _NEAR_PERMUTATIONS)
        topic = minhash_rows([self._fresh[i].terms for i in chunk], _TOPIC_PERMUTATIONS)
        keys = (self._near_keys(chunk, near), self._anchor_keys(chunk), self._topic_keys(chunk, topic))
        for kind, (values, owners) in zip((NEAR, ANCHOR, TOPIC), keys):
            self.backing.insert(kind, values, owners)
        return keys

    def _signatures(self, fetch, positions: Iterable[int], field: str) -> dict[int, np.ndarray]:
        """One field of the signatures at these positions: the batch's from memory, the rest from the backing."""
        wanted = set(positions)
        found = {i: getattr(self._fresh[i], field) for i in wanted if i in self._fresh}
        found.update(fetch(sorted(wanted.difference(found))))
        return found

    def _near_keys(self, chunk: list[int], values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = [k for k, i in enumerate(chunk) if self._fresh[i].shingles.size]
        return _band_keys(values[rows], [chunk[k] for k in rows], NEAR_BANDS, salt=1)

    def _anchor_keys(self, chunk: list[int]) -> tuple[np.ndarray, np.ndarray]:
        keys = [self._fresh[i].shingles[self._fresh[i].shingles % ANCHOR_EVERY == 0] for i in chunk]
        owners = [np.full(k.size, i, dtype=np.int64) for i, k in zip(chunk, keys)]
        return (np.concatenate(keys) if keys else np.zeros(0, np.uint32),
                np.concatenate(owners) if owners else np.zeros(0, np.int64))

    def _anchor_pairs(self, chunk: list[int], anchor_keys: tuple[np.ndarray, np.ndarray]) -> set[tuple[int, int]]:
        """(new, earlier) pairs that share enough anchors; each pair once, from its later report."""
        keys, owners = anchor_keys
        mine, other = self.backing.earlier_matches(ANCHOR, keys, owners, ANCHOR_MAX_DF)
        if not mine.size:
            return set()
        uniq, counts = np.unique(mine * (1 << 32) + other, return_counts=True)
        held = dict(zip(*(a.tolist() for a in np.unique(owners, return_counts=True))))
        few = {i for i in chunk if held.get(i, 0) < 2 * MIN_SHARED_ANCHORS}
        return {(key >> 32, key & 0xFFFFFFFF) for key, count in zip(uniq.tolist(), counts.tolist())
                if count >= MIN_SHARED_ANCHORS or key >> 32 in few}

    def _topic_keys(self, chunk: list[int], values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = [k for k, i in enumerate(chunk) if self._fresh[i].terms.size]
        return _band_keys(values[rows], [chunk[k] for k in rows], TOPIC_BANDS, salt=0)

    def _topic_pairs(self, topic_keys: tuple[np.ndarray, np.ndarray], window_days: int) -> set[tuple[int, int]]:
        """(new, earlier) pairs sharing a topic band whose dates may fall in one window.

        Pairs of two dated reports further apart than the window are dropped here, before their
        terms are read: `_same_story` would reject them, and a band shared by up to
        `TOPIC_MAX_DF` reports of every month made their number grow with the corpus (110k pairs
        for 256 new reports at 99k reports, against 10k at 10k).
        """
        mine, other = self.backing.earlier_matches(TOPIC, *topic_keys, TOPIC_MAX_DF)
        days = np.frombuffer(self.days, dtype=np.int32)
        day, other_day = days[mine], days[other]
        del days  # a view of self.days, which must not export its buffer when it grows
        keep = (day == _NO_DATE) | (other_day == _NO_DATE) | (np.abs(day - other_day) <= window_days)
        return set(zip(mine[keep].tolist(), other[keep].tolist()))

    def _near_pairs(self, near_keys: tuple[np.ndarray, np.ndarray]) -> set[tuple[int, int]]:
        """(new, earlier) pairs with one whole band of their MinHash alike: LSH candidates."""
        mine, other = self.backing.earlier_matches(NEAR, *near_keys, max_df=len(self))
        return set(zip(mine.tolist(), other.tolist()))

    def _check_pair(self, i: int, j: int, a: np.ndarray, b: np.ndarray, start: int) -> None:
        """Copy, overlap or nothing, on the true shingle sets."""
        shorter = min(a.size, b.size)
        if not shorter:
            return
        shared = np.intersect1d(a, b, assume_unique=True).size
        if shared >= COPY_CONTAINMENT * shorter:
            self._join_copies(i, j, start)
        elif shared >= OVERLAP_MIN_SHARED and shared >= OVERLAP_CONTAINMENT * shorter:
            self._remember(i, start)
            self._remember(j, start)
            self._overlap(i, j)
            self._overlap(j, i)
            self._join_story(i, j, start)

    def _overlap(self, i: int, j: int) -> None:
        others = self.overlaps.get(i)
        if others is None:
            self.overlaps[i] = array("i", [j])
        elif j not in others:
            others.append(j)

    def _same_story(self, i: int, j: int, a: np.ndarray, b: np.ndarray, window_days: int) -> bool:
        """Topic terms alike (true Jaccard) and dates within the window (or a date unknown)."""
        day, other = self._story_day(i), self._story_day(j)
        if day != _NO_DATE and other != _NO_DATE and abs(day - other) > window_days:
            return False
        shared = np.intersect1d(a, b, assume_unique=True).size
        return shared / (a.size + b.size - shared) >= TOPIC_JACCARD

    def _story_day(self, i: int) -> int:
        """A report's date, or for an undated copy the earliest date in its copy group."""
        if self.days[i] != _NO_DATE:
            return self.days[i]
        dated = [self.days[m] for m in self.copies.members(self.copies.find(i)) if self.days[m] != _NO_DATE]
        return min(dated) if dated else _NO_DATE

    def _most_complete(self, members: list[int]) -> int:
        """The canonical of a copy group: the most complete clean body, earliest when equal.

        Bodies within 5% of the most prose count as equally complete (an update that swapped
        two words for four is not more complete); among them the fewest junk lines wins, then
        the earliest date, then the id.
        """
        most = max(self.clean[m] for m in members)
        equal = [m for m in members if self.clean[m] >= COMPLETE_WITHIN * most]
        ids = self.backing.ids(equal) if len(equal) > 1 else {}
        return min(equal, key=lambda m: (self.junk[m], self.days[m] if self.days[m] != _NO_DATE else 10**9,
                                         ids.get(m, "")))

    def _join_copies(self, i: int, j: int, start: int) -> None:
        ri, rj = self.copies.find(i), self.copies.find(j)
        if ri == rj:
            return
        for member in self.copies.members(ri) + self.copies.members(rj):
            self._remember(member, start)
        self.canonical.pop(ri, None)
        self.canonical.pop(rj, None)
        kept, _ = self.copies.union(i, j)
        self.canonical[kept] = self._most_complete(self.copies.members(kept))
        self._join_story(i, j, start)

    def _join_story(self, i: int, j: int, start: int) -> None:
        ri, rj = self.stories.find(i), self.stories.find(j)
        if ri == rj:
            return
        big, small = (ri, rj) if (self.stories.size(ri), -ri) >= (self.stories.size(rj), -rj) else (rj, ri)
        for member in self.stories.members(small):
            self._remember(member, start)
        name = self.story_name.pop(big, big)
        self.story_name.pop(small, None)
        kept, _ = self.stories.union(big, small)
        self.story_name[kept] = name

    # -- reading links --------------------------------------------------------------------

    def _links(self, i: int) -> Links:
        """(canonical or None, overlapping, story name) of position i, as positions."""
        root = self.copies.find(i)
        canonical = self.canonical.get(root, root)
        story = self.stories.find(i)
        return (None if canonical == i else canonical, frozenset(self.overlaps.get(i, ())),
                self.story_name.get(story, story))

    def _remember(self, i: int, start: int) -> None:
        """Note an older report's links before a change, to report it afterwards."""
        if i < start and i not in self._before:
            self._before[i] = self._links(i)

    def _changed_since(self, start: int) -> list[LinkChange]:
        before, self._before = self._before, {}
        now = {i: self._links(i) for i in sorted(before)}
        changed = [i for i in now if now[i] != before[i]]
        ids = self._ids(changed, [now[i] for i in changed])
        return [LinkChange(ids[i], **self._link_fields(now[i], ids)) for i in changed]

    def _ids(self, positions: list[int], links: list[Links]) -> dict[int, str]:
        """The ids of these positions and of every report their links name, in one lookup."""
        wanted = set(positions)
        for canonical, overlapping, story in links:
            wanted.update(overlapping)
            wanted.add(story)
            if canonical is not None:
                wanted.add(canonical)
        return self.backing.ids(sorted(wanted))

    @staticmethod
    def _link_fields(links: Links, ids: dict[int, str]) -> dict:
        canonical, overlapping, story = links
        return {"copy_of": None if canonical is None else ids[canonical],
                "overlaps": sorted(ids[j] for j in overlapping), "story": ids[story]}

    def _fill(self, reports: list[Report], where: dict[str, int]) -> None:
        links = {i: self._links(i) for i in set(where.values())}
        ids = self._ids(list(links), list(links.values()))
        for report in reports:
            fields = self._link_fields(links[where[report.id]], ids)
            report.copy_of, report.overlaps, report.story = fields["copy_of"], fields["overlaps"], fields["story"]

    def copy_groups(self) -> dict[str, list[str]]:
        """Canonical id -> ids of its copies, for groups with at least one copy."""
        groups = {self.canonical.get(root, root): members for root, members in self.copies.groups.items()}
        ids = self.backing.ids(sorted(m for members in groups.values() for m in members))
        return {ids[canonical]: sorted(ids[m] for m in members if m != canonical)
                for canonical, members in groups.items()}

    # -- persistence ----------------------------------------------------------------------

    def state(self) -> bytes:
        """The links of every indexed report: two forest parents each and the groups' names.

        Signatures never change once indexed, and the backing keeps them; the links, which do
        change, are what a store rewrites on every save.
        """
        return persist.pack({"n": len(self)}, persist.state_arrays(self))

    @classmethod
    def open(cls, backing: Backing, state: bytes | None) -> "CopyIndex":
        """The index saved as `state()` over a backing that holds (at least) its reports' signatures.

        Rows past the state's count (written by a run that died before saving the state) are
        left alone here and dropped by the next `add`, which runs under the ingest lock.
        """
        index = cls(backing)
        if not state:
            return index
        head, arrays = persist.unpack(state)
        n = head["n"]
        days, clean, junk = backing.qualities(n)
        if days.size != n:
            raise ValueError(f"copy index state covers {n} reports, its signature rows {days.size}")
        index.days, index.clean, index.junk = (array("i", a.astype(np.int32).tobytes()) for a in (days, clean, junk))
        persist.restore_links(index, arrays, head.get("overlaps"))
        return index

    def to_bytes(self) -> bytes:
        """The whole in-memory index in one piece: its state and every signature."""
        if not isinstance(self.backing, MemoryBacking):
            raise TypeError("to_bytes serialises an in-memory copy index; a stored one lives in its store")
        return persist.pack({"parts": 2, "ids": self.backing.report_ids},
                            {"state": np.frombuffer(self.state(), np.uint8), **persist.signature_arrays(self.backing)})

    @classmethod
    def from_bytes(cls, data: bytes | None) -> "CopyIndex":
        """An index from `to_bytes` output; an empty index for None or b""."""
        if not data:
            return cls()
        head, arrays = persist.unpack(data)
        backing = MemoryBacking()
        signatures = persist.signatures(head["ids"], arrays)
        backing.append(0, signatures, arrays["days"].tolist())
        positions = list(range(len(signatures)))
        index = cls.open(backing, arrays["state"].tobytes())
        for lo in range(0, len(positions), CHUNK):  # the posting arrays are not saved: rebuilt here
            chunk = positions[lo:lo + CHUNK]
            index._fresh = {i: signatures[i] for i in chunk}
            index._insert_keys(chunk)
        index._fresh = {}
        return index
