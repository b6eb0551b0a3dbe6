"""The on-disk sidecar answers as the dict `load_sidecar` builds, and rejects what it rejects."""

from __future__ import annotations

import json

import pytest

from dealtrace.errors import InputError
from dealtrace.ingest import load_sidecar
from dealtrace.ingest.metadata import Sidecar

ENTRIES = [
    {"file": "a.txt", "published": "2025-03-01", "outlet": "Wire A"},
    {"file": "sub/b.txt", "title": "B", "score": 1.5, "tags": ["x", None]},
    {"file": "dump.jsonl", "outlet": "Radio"},
    {"file": "dump.jsonl#2", "published": "2025-03-02"},
    {"file": "a.txt", "published": "2025-03-09"},  # a later entry for a name replaces the earlier one
]


def _write(path, entries):
    path.write_text("\n".join(json.dumps(entry) for entry in entries) + "\n\n", encoding="utf-8")
    return path


def test_lookups_match_the_dict(tmp_path):
    path = _write(tmp_path / "metadata.jsonl", ENTRIES)
    expected = load_sidecar(path)
    with Sidecar([path]) as sidecar:
        assert len(sidecar) == len(expected) == 4
        for name in ["a.txt", "b.txt", "dump.jsonl", "dump.jsonl#2", "missing.txt"]:
            assert sidecar.get(name, {}) == expected.get(name, {})
        assert sidecar.entries_for(["dump.jsonl", "b.txt"]) == {
            name: expected[name] for name in ("dump.jsonl", "dump.jsonl#2", "b.txt")}
    with Sidecar([]) as empty:
        assert not empty


def test_a_later_file_wins_as_in_dict_update(tmp_path):
    first = _write(tmp_path / "one.jsonl", ENTRIES[:2])
    second = _write(tmp_path / "two.jsonl", [{"file": "a.txt", "outlet": "Other"}])
    with Sidecar([first, second]) as sidecar:
        assert sidecar.get("a.txt") == {"file": "a.txt", "outlet": "Other"}
        assert sidecar.get("b.txt") == load_sidecar(first)["b.txt"]


@pytest.mark.parametrize("line, detail", [("{oops", "line 2"), ('{"title": "no file"}', "no 'file' field")])
def test_bad_lines_raise_like_load_sidecar(tmp_path, line, detail):
    path = tmp_path / "metadata.jsonl"
    path.write_text(json.dumps(ENTRIES[0]) + "\n" + line + "\n", encoding="utf-8")
    for read in (load_sidecar, lambda p: Sidecar([p])):
        with pytest.raises(InputError, match=detail):
            read(path)
