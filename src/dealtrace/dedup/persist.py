"""The copy index's bytes: a JSON header followed by raw numpy arrays, read back without copying.

Kept apart from the index's logic so the index reads as what it does. Two shapes are written:
the state (the links, rewritten on every save) and, for an in-memory index, its signatures.
"""

from __future__ import annotations

import json
from array import array
from typing import TYPE_CHECKING, Any

import numpy as np

from .signature import ANCHOR_EVERY, Signature

if TYPE_CHECKING:
    from .backing import MemoryBacking
    from .index import CopyIndex

FORMAT = b"DTCOPY3\n"


def params() -> list[int]:
    from .index import NUM_PERM, SEED, TOPIC_PERM

    return [NUM_PERM, TOPIC_PERM, SEED, ANCHOR_EVERY]


def pack(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    header = {**header, "params": params(),
              "arrays": [[name, str(a.dtype), int(a.size)] for name, a in arrays.items()]}
    head = json.dumps(header).encode("utf-8")
    parts = [FORMAT, len(head).to_bytes(8, "little"), head]
    parts += [memoryview(np.ascontiguousarray(a)).cast("B") for a in arrays.values()]
    return b"".join(parts)  # one copy of the arrays, not two


def unpack(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Header and read-only array views into `data` (which the views keep alive)."""
    if not data.startswith(FORMAT):
        raise ValueError("not a dealtrace copy index (or one written by an older version; rebuild it)")
    at = len(FORMAT)
    size = int.from_bytes(data[at:at + 8], "little")
    at += 8
    header = json.loads(data[at:at + size])
    at += size
    if header["params"] != params():
        raise ValueError("copy index built with other parameters; rebuild it")
    arrays = {}
    for name, dtype, count in header["arrays"]:
        arrays[name] = np.frombuffer(data, dtype=dtype, count=count, offset=at)
        at += np.dtype(dtype).itemsize * count
    return header, arrays


def signature_arrays(backing: MemoryBacking) -> dict[str, np.ndarray]:
    """Every signature an in-memory backing holds, as flat arrays."""
    n = len(backing)
    return {
        "shingle_sizes": np.array([s.size for s in backing.shingle_sets], dtype=np.int64),
        "shingles": np.concatenate(backing.shingle_sets) if n else np.zeros(0, np.uint32),
        "term_sizes": np.array([t.size for t in backing.term_sets], dtype=np.int64),
        "terms": np.concatenate(backing.term_sets) if n else np.zeros(0, np.uint32),
        "days": np.array(backing.days, dtype=np.int64),
        "clean": np.array(backing.clean, dtype=np.int64),
        "junk": np.array(backing.junk, dtype=np.int64),
    }


def signatures(ids: list[str], arrays: dict[str, np.ndarray]) -> list[Signature]:
    """The signatures `signature_arrays` wrote (publication dates are kept as day numbers instead)."""
    if not ids:
        return []
    shingles = np.split(arrays["shingles"], np.cumsum(arrays["shingle_sizes"])[:-1])
    terms = np.split(arrays["terms"], np.cumsum(arrays["term_sizes"])[:-1])
    return [Signature(id=rid, published=None, shingles=s, clean=c, junk=j, terms=t)
            for rid, s, t, c, j in zip(ids, shingles, terms, arrays["clean"].tolist(), arrays["junk"].tolist())]


def state_arrays(index: CopyIndex) -> dict[str, np.ndarray]:
    n = len(index)
    canonical = np.full(n, -1, dtype=np.int32)  # at each copy-group root of two or more: its canonical member
    canonical[list(index.canonical)] = list(index.canonical.values())
    story_name = np.full(n, -1, dtype=np.int32)  # at each story root of two or more: the report naming it
    story_name[list(index.story_name)] = list(index.story_name.values())
    overlapping = sorted(index.overlaps)  # each report's overlap links, sorted, one after another
    return {"copy_parent": np.frombuffer(index.copies.parent, dtype=np.int32),
            "story_parent": np.frombuffer(index.stories.parent, dtype=np.int32),
            "canonical": canonical, "story_name": story_name,
            "overlapping": np.array(overlapping, dtype=np.int32),
            "overlap_sizes": np.array([len(index.overlaps[i]) for i in overlapping], dtype=np.int32),
            "overlap_links": np.concatenate([np.sort(np.frombuffer(index.overlaps[i], dtype=np.int32))
                                             for i in overlapping]) if overlapping else np.zeros(0, np.int32)}


def restore_links(index: CopyIndex, arrays: dict[str, np.ndarray], overlaps: list[list[Any]] | None) -> None:
    """The links `state_arrays` wrote; `overlaps` is the JSON list a state kept them in before they
    were arrays (about 36 bytes a link while it was built, on every save)."""
    index.copies.restore(arrays["copy_parent"])
    index.stories.restore(arrays["story_parent"])
    roots = np.flatnonzero(arrays["canonical"] >= 0)
    index.canonical = dict(zip(roots.tolist(), arrays["canonical"][roots].tolist()))
    roots = np.flatnonzero(arrays["story_name"] >= 0)
    index.story_name = dict(zip(roots.tolist(), arrays["story_name"][roots].tolist()))
    if overlaps is not None:
        index.overlaps = {int(i): array("i", js) for i, js in overlaps}
        return
    links = np.split(arrays["overlap_links"], np.cumsum(arrays["overlap_sizes"])[:-1]) \
        if arrays["overlapping"].size else []
    index.overlaps = {i: array("i", js.tobytes()) for i, js in zip(arrays["overlapping"].tolist(), links)}
