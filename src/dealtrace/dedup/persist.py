"""The copy index's bytes: a JSON header followed by raw numpy arrays, read back without copying.

Kept apart from the index's logic so the index reads as what it does. Two shapes are written:
segments (the signatures of a run of reports, append-only) and the state (links, small).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np

from .signature import ANCHOR_EVERY

if TYPE_CHECKING:
    from .index import CopyIndex

FORMAT = b"DTCOPY2\n"


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


def segment_arrays(index: CopyIndex, start: int) -> dict[str, np.ndarray]:
    from .index import NUM_PERM, TOPIC_PERM

    n = len(index.ids) - start
    shingles, terms = index.shingles[start:], index.terms[start:]
    return {
        "shingle_sizes": np.array([s.size for s in shingles], dtype=np.int64),
        "shingles": np.concatenate(shingles) if n else np.zeros(0, np.uint32),
        "term_sizes": np.array([t.size for t in terms], dtype=np.int64),
        "terms": np.concatenate(terms) if n else np.zeros(0, np.uint32),
        "near": np.array(index.near_values[start:], dtype=np.uint32).reshape(n, NUM_PERM),
        "topic": np.array(index.topic_values[start:], dtype=np.uint32).reshape(n, TOPIC_PERM),
        "days": np.array(index.days[start:], dtype=np.int64),
        "clean": np.array(index.clean[start:], dtype=np.int64),
        "junk": np.array(index.junk[start:], dtype=np.int64),
    }


def extend(index: CopyIndex, ids: list[str], arrays: dict[str, np.ndarray]) -> None:
    """Append one segment's reports (signatures only; links come from the state)."""
    n = len(ids)
    if not n:
        return
    index.ids.extend(ids)
    index.days.extend(arrays["days"].tolist())
    index.clean.extend(arrays["clean"].tolist())
    index.junk.extend(arrays["junk"].tolist())
    index.shingles.extend(np.split(arrays["shingles"], np.cumsum(arrays["shingle_sizes"])[:-1]))
    index.terms.extend(np.split(arrays["terms"], np.cumsum(arrays["term_sizes"])[:-1]))
    index.near_values.extend(arrays["near"].reshape(n, -1))
    index.topic_values.extend(arrays["topic"].reshape(n, -1))


def state_arrays(index: CopyIndex) -> dict[str, np.ndarray]:
    n = len(index.ids)
    canonical = np.full(n, -1, dtype=np.int32)  # at each copy-group root: its canonical member
    canonical[list(index.canonical)] = list(index.canonical.values())
    story_name = np.full(n, -1, dtype=np.int32)  # at each story root: the report whose id names it
    story_name[list(index.story_id)] = [index.pos[name] for name in index.story_id.values()]
    return {"copy_parent": np.array(index.copies.parent, dtype=np.int32),
            "story_parent": np.array(index.stories.parent, dtype=np.int32),
            "canonical": canonical, "story_name": story_name}


def restore_links(index: CopyIndex, arrays: dict[str, np.ndarray], overlaps: list[list[Any]]) -> None:
    n = len(index.ids)
    for forest, parent in ((index.copies, arrays["copy_parent"]), (index.stories, arrays["story_parent"])):
        forest.parent = parent.tolist()
        forest.members = {}
        for i in range(n):
            forest.members.setdefault(forest.find(i), []).append(i)
    roots = np.flatnonzero(arrays["canonical"] >= 0)
    index.canonical = dict(zip(roots.tolist(), arrays["canonical"][roots].tolist()))
    roots = np.flatnonzero(arrays["story_name"] >= 0)
    index.story_id = {root: index.ids[name] for root, name in zip(roots.tolist(), arrays["story_name"][roots].tolist())}
    index.overlaps = {int(i): set(js) for i, js in overlaps}
