"""The corpus figure merge of `analyze.figures.merge_figures`, grouped on disk.

`merge_figures` holds every figure of the corpus (copies merged into sources) and then every
measure while their discrepancies are found. `FigureSpool` makes the same figures, measures and
discrepancies, in the same order, holding one group at a time: the report-local figures wait in a
temporary SQLite file with a digest of their copy group (`merge_copies`'s key), the merged figures
go back into it in `merge_copies`'s order, and each measure reads its figures back when its turn
comes. Per merged figure only its measure key and its place are held (to group figures into
measures, which needs every key); the measures wait in the file until the discrepancies are written.
"""

from __future__ import annotations

import hashlib
import json
from itertools import groupby
from typing import Any, Callable, Iterator, Mapping

from .analyze.common import canonical_of, source_of
from .analyze.figures import figure_copy_key, figure_order, measure_clusters, measure_key, measures_of
from .model import Discrepancy, Extraction, Figure, Report, from_dict, to_dict
from .scratch import scratch_db

__all__ = ["FigureSpool"]

_SCHEMA = """
CREATE TABLE local (seq INTEGER PRIMARY KEY, grp BLOB, own INT, report TEXT, start INT, stop INT, data TEXT);
CREATE TABLE merged (pos INTEGER PRIMARY KEY, measure TEXT, data TEXT);
CREATE TABLE measures (pos INTEGER PRIMARY KEY, row TEXT);
"""
_GROUPS_IN_ORDER = """
SELECT first.seq, local.own, local.report, local.start, local.stop, local.data
FROM local JOIN (SELECT grp, min(seq) AS seq FROM local GROUP BY grp) AS first USING (grp)
ORDER BY first.seq, local.own DESC, local.seq
"""


class FigureSpool:
    """Report-local figures in a temporary SQLite file, merged into corpus figures and measures.

    Use: `hold` every extraction's figures in reading order, then `merge` (once), then iterate
    `discrepancies`, then `measure_rows` and `figure_rows` (rows for the store, made by `row`).
    """

    def __init__(self, reports: Mapping[str, Report], row: Callable[[str, Any], dict[str, Any]]) -> None:
        self.reports = reports
        self.row = row
        self.db = scratch_db(_SCHEMA)
        self.seq = 0
        self.clusters: dict[Any, list[int]] = {}

    def __enter__(self) -> "FigureSpool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.db.close()

    def hold(self, found: Extraction) -> None:
        """Spool an extraction's figures, in reading order."""
        rows = []
        for figure in found.figures:
            canonical = canonical_of(figure.report, self.reports)
            rows.append((self.seq, copy_digest(canonical, figure), figure.report == canonical, figure.report,
                         figure.start, figure.end, json.dumps(to_dict(figure))))
            self.seq += 1
        self.db.executemany("INSERT INTO local VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def merge(self) -> None:
        """`merge_copies` of the held figures (each kept figure with its sources, written back in order),
        then their measures' clusters (`measure_clusters`) as places in that order."""
        self.db.execute("CREATE INDEX local_grp ON local (grp, seq)")
        places: dict[Any, list[int]] = {}  # measure key -> places of its figures (one key object each)
        batch = []
        groups = self.db.execute(_GROUPS_IN_ORDER)
        for pos, (_, members) in enumerate(groupby(groups, key=lambda member: member[0])):
            figure = self._kept(list(members))
            places.setdefault(measure_key(figure), []).append(pos)
            batch.append((pos, json.dumps(to_dict(figure))))
            if len(batch) >= 1000:
                self.db.executemany("INSERT INTO merged (pos, data) VALUES (?, ?)", batch)
                batch = []
        self.db.executemany("INSERT INTO merged (pos, data) VALUES (?, ?)", batch)
        self.db.execute("DELETE FROM local")
        self.clusters = measure_clusters((key, pos) for key, group in places.items() for pos in group)

    def _kept(self, members: list[tuple]) -> Figure:
        """A copy group's figure (the original report's first, else the first read) with one source per report."""
        figure = from_dict(Figure, json.loads(members[0][5]))
        sources = []
        for _, _, report_id, start, stop, _ in members:
            report = self.reports.get(report_id)
            if report is not None and all(s.report != report.id for s in sources):
                sources.append(source_of(report, start, stop))
        figure.sources = sources
        return figure

    def discrepancies(self) -> Iterator[Discrepancy]:
        """`iter_measures`'s discrepancies, measure by measure; each measure's figures read back when its
        turn comes and its name and row kept in the file."""
        firsts = {key: figure_order(self._figures([places[0]])[0]) for key, places in self.clusters.items()}
        ordered = sorted(self.clusters.items(), key=lambda kv: firsts[kv[0]])
        del firsts
        clusters = ((key, self._pinned(self._figures(places))) for key, places in ordered)
        for index, ((_, places), (measure, found)) in enumerate(zip(ordered, measures_of(clusters, self.reports))):
            self.db.executemany("UPDATE merged SET measure = ? WHERE pos = ?", [(measure.name, pos) for pos in places])
            self.db.execute("INSERT INTO measures VALUES (?, ?)", (index, json.dumps(self.row("measure", measure))))
            yield from found
        self._pinned([])  # the last measure's reports let go

    def measure_rows(self) -> Iterator[dict[str, Any]]:
        for (row,) in self.db.execute("SELECT row FROM measures ORDER BY pos"):
            yield json.loads(row)

    def figure_rows(self) -> Iterator[dict[str, Any]]:
        for measure, data in self.db.execute("SELECT measure, data FROM merged ORDER BY pos"):
            figure = from_dict(Figure, json.loads(data))
            figure.measure = measure
            yield self.row("figure", figure)

    def _pinned(self, figures: list[Figure]) -> list[Figure]:
        """A measure's figures, their reports pinned first when the reports are on disk (`ReportTable`):
        its discrepancies look up the reports of every pair of its figures."""
        pin = getattr(self.reports, "pin", None)
        if pin is not None:
            pin(figure.report for figure in figures)
        return figures

    def _figures(self, places: list[int]) -> list[Figure]:
        """The merged figures at `places`, in that order."""
        found = dict(self.db.execute("SELECT pos, data FROM merged WHERE pos IN (SELECT value FROM json_each(?))",
                                     (json.dumps(places),)))
        return [from_dict(Figure, json.loads(found[pos])) for pos in places]


def copy_digest(canonical: str, figure: Figure) -> bytes:
    """A digest of `merge_copies`'s key for a figure: its canonical report and `figure_copy_key`
    (the value as a float, since 5 and 5.0 are one key)."""
    value, unit, sentence = figure_copy_key(figure)
    parts = [canonical, None if value is None else float(value), unit, sentence]
    return hashlib.blake2b(json.dumps(parts).encode("utf-8"), digest_size=16).digest()
