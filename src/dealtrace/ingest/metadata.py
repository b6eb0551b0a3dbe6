"""Sidecar metadata (`metadata.jsonl`: {file, published, outlet, title}) and date parsing."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import Errors, InputError
from ..scratch import scratch_db

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def load_sidecar(path: str | Path) -> dict[str, dict[str, Any]]:
    """Map file name -> metadata; a bad line raises InputError naming the file and line."""
    return {name: entry for name, entry, _ in sidecar_entries(path)}


def sidecar_entries(path: str | Path) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(file name, entry, its JSON line) of each entry, read a line at a time; a bad line raises InputError."""
    path = Path(path)
    number = 0
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    yield (*_entry(path, number, line), line)
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(Errors.E021.format(path=path, line=0, detail=str(e))) from None


def _entry(path: Path, number: int, line: str) -> tuple[str, dict[str, Any]]:
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(Errors.E021.format(path=path, line=number, detail=e.msg)) from None
    if not isinstance(entry, dict) or not entry.get("file"):
        raise InputError(Errors.E021.format(path=path, line=number, detail="no 'file' field"))
    return Path(str(entry["file"])).name, entry


class Sidecar:
    """The entries of one or more sidecars by file name, in a temporary SQLite file.

    An ingest looks up each input's entry as it reads it; held in a dict, the entries of 100k inputs
    took about 55 MB (550 bytes each) for the whole run. Read like `load_sidecar`'s dict (`get`,
    truth), a later entry for a name replacing an earlier one; close it (or use `with`) when done.
    """

    def __init__(self, paths: Iterable[str | Path] = ()) -> None:
        self.db = scratch_db("CREATE TABLE entry (name TEXT PRIMARY KEY, file TEXT, line TEXT);"
                             "CREATE INDEX entry_file ON entry (file);", cache_kib=2000)
        self.count = 0
        try:
            for path in paths:
                self.add(path)
        except BaseException:
            self.close()  # a bad line: the file goes
            raise

    def add(self, path: str | Path) -> None:
        """Every entry of one sidecar file (later ones win, as in `dict.update`)."""
        rows = ((name, name.split("#")[0], line) for name, _, line in sidecar_entries(path))
        self.db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", rows)
        self.count = self.db.execute("SELECT count(*) FROM entry").fetchone()[0]

    def get(self, name: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT line FROM entry WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else default

    def entries_for(self, files: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The entries of these file names and of the records inside them (`name#n`), as a dict."""
        found = {}
        for file in files:
            for name, line in self.db.execute("SELECT name, line FROM entry WHERE file = ?", (file,)):
                found[name] = json.loads(line)
        return found

    def __len__(self) -> int:
        return self.count

    def __enter__(self) -> "Sidecar":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()


def iso_date(value: Any) -> str | None:
    """A YYYY-MM-DD string from the many shapes a date arrives in, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO.match(text):
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    try:
        import dateparser

        parsed = dateparser.parse(text, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date().isoformat() if parsed else None
