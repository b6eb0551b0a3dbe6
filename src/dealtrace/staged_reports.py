"""The reports' metadata for the corpus merge, kept on disk and read by id.

Every merge stage looks reports up by id (`canonical_of` follows copy links, `source_of` copies a
report's file, outlet and date into each source), and the staged merge held every report's metadata
for all its stages: about 2 kB per report, what grew most between stages. `ReportTable` is the same
`Mapping[str, Report]` kept in a private temporary SQLite database (`scratch_db`), filled in one
streamed pass; a lookup decodes one report, and a small cache keeps the last ones read, since the
stages read extractions report by report. A stage that looks up one set of reports many times (a
measure's discrepancies compare every pair of its figures) pins that set first (`pin`).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from itertools import islice
from typing import Any, Iterable, Iterator, Mapping

from .model import Report, from_dict, to_dict
from .scratch import scratch_db

__all__ = ["ReportTable"]

_SCHEMA = "CREATE TABLE reports (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, data TEXT NOT NULL);"
_FILL_ROWS = 1000  # reports inserted per statement while filling
_PIN_ROWS = 500  # ids per lookup statement when pinning


class ReportTable(Mapping[str, Report]):
    """A read-only `Mapping[str, Report]` in a temporary SQLite file, iterated in the order it was filled.

    `values()` streams the reports in that order; lookups keep the last `cache_size` reports read,
    plus the reports of the last `pin`. Close it (or use it as a context manager) when done.
    """

    def __init__(self, reports: Iterable[Report], cache_size: int = 1024) -> None:
        self.db = scratch_db(_SCHEMA)
        self.cache_size = cache_size
        self.cache: OrderedDict[str, Report] = OrderedDict()
        self.pinned: dict[str, Report] = {}
        rows = ((report.id, json.dumps(to_dict(report))) for report in reports)
        while batch := list(islice(rows, _FILL_ROWS)):
            self.db.executemany("INSERT INTO reports (id, data) VALUES (?, ?)", batch)
        self.db.execute("CREATE UNIQUE INDEX reports_id ON reports (id)")
        self.size = self.db.execute("SELECT count(*) FROM reports").fetchone()[0]

    def __enter__(self) -> "ReportTable":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.cache.clear()
        self.pinned = {}
        self.db.close()

    # -- Mapping -----------------------------------------------------------------------------------
    def __getitem__(self, report_id: str) -> Report:
        report = self._find(report_id)
        if report is None:
            raise KeyError(report_id)
        return report

    def __contains__(self, report_id: object) -> bool:
        """Without decoding the report: every stage asks this of each extraction it reads."""
        if report_id in self.pinned or report_id in self.cache:
            return True
        return isinstance(report_id, str) and self.db.execute(
            "SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None

    def get(self, report_id: str, default: Any = None) -> Any:  # type: ignore[override]
        report = self._find(report_id)
        return default if report is None else report

    def __iter__(self) -> Iterator[str]:
        return (report_id for (report_id,) in self.db.execute("SELECT id FROM reports ORDER BY seq"))

    def __len__(self) -> int:
        return self.size

    def values(self) -> Iterator[Report]:  # type: ignore[override]
        """Every report, in the order filled, decoded one at a time (none kept)."""
        return (_report(data) for (data,) in self.db.execute("SELECT data FROM reports ORDER BY seq"))

    # -- lookups -----------------------------------------------------------------------------------
    def pin(self, report_ids: Iterable[str]) -> None:
        """Keep these reports, and the originals their copy links lead to, until the next `pin`."""
        pinned: dict[str, Report] = {}
        wanted = set(report_ids)
        while wanted:
            found = self._load(sorted(wanted))
            pinned.update(found)
            wanted = {r.copy_of for r in found.values() if r.copy_of and r.copy_of not in pinned}
        self.pinned = pinned

    def _find(self, report_id: str) -> Report | None:
        report = self.pinned.get(report_id)
        if report is not None:
            return report
        report = self.cache.get(report_id)
        if report is not None:
            self.cache.move_to_end(report_id)
            return report
        row = self.db.execute("SELECT data FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return None
        report = self.cache[report_id] = _report(row[0])
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return report

    def _load(self, report_ids: list[str]) -> dict[str, Report]:
        found: dict[str, Report] = {}
        for start in range(0, len(report_ids), _PIN_ROWS):
            chunk = json.dumps(report_ids[start:start + _PIN_ROWS])
            for report_id, data in self.db.execute(
                    "SELECT id, data FROM reports WHERE id IN (SELECT value FROM json_each(?))", (chunk,)):
                found[report_id] = self.pinned.get(report_id) or self.cache.get(report_id) or _report(data)
        return found


def _report(data: str) -> Report:
    return from_dict(Report, json.loads(data))
