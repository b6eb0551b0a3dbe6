"""Summaries the brief and the dashboard read, computed once per refresh and kept in the store.

The side × issue matrix, the sticking points and the timeline histogram need every position or
event; on a store of 100k reports that is too slow per request, so `store_views` writes them as one
JSON blob when `Tracker.refresh` rebuilds the records, and `load_views` reads it back (computing and
keeping it when a store predates this).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any, Iterable

from ..analyze.positions import matrix, sticking_points
from ..analyze.quotes import statements
from ..model import Analysis, Event, Issue, Position, Quote, Report, Side

__all__ = ["compute_views", "store_views", "ViewFacts", "load_views", "anonymous_share", "build_search", "has_search",
           "VIEWS_VERSION", "SEARCH_TABLE", "SEARCH_KINDS"]

log = logging.getLogger(__name__)

VIEWS_VERSION = 1
_NAMESPACE, _KEY = "views", "dashboard"
# Trigram full-text indexes of the records' `text` column (SQLite FTS5), one per kind that holds
# sentences: substring search, any case, without scanning every row. Rowids are the records
# table's, so they are rebuilt with the records at each refresh.
SEARCH_TABLE = "records_search_{kind}"
SEARCH_KINDS = ("quote", "event", "position")
_parsed: dict[str, dict[str, Any]] = {}  # blob digest -> parsed views (the blob changes only at refresh)


class _AnonymousTally:
    """How many quotes and positions rest on anonymous sources, counted quote by quote.

    A quote is anonymous when its speaker is; a position is when the quotes overlapping its
    sentence in its report are all anonymous (an unattributed position counts as named).
    """

    def __init__(self, positions: list[Position], keep_reports: bool = False) -> None:
        self.positions = positions
        self.around: dict[str, list[int]] = defaultdict(list)  # report -> its positions
        for index, position in enumerate(positions):
            self.around[position.report].append(index)
        self.overlapped = [False] * len(positions)
        self.all_anonymous = [True] * len(positions)
        self.quotes = self.anonymous_quotes = 0
        self.quote_reports: dict[str, None] | None = {} if keep_reports else None

    def add(self, quotes: Iterable[Quote]) -> None:
        for quote in statements(quotes):
            self.quotes += 1
            anonymous = quote.speaker.anonymous
            if anonymous:
                self.anonymous_quotes += 1
                if self.quote_reports is not None:
                    self.quote_reports[quote.report] = None
            for index in self.around.get(quote.report, ()):
                position = self.positions[index]
                if quote.start < position.end and position.start < quote.end:
                    self.overlapped[index] = True
                    self.all_anonymous[index] = self.all_anonymous[index] and anonymous

    def share(self) -> dict[str, Any]:
        anonymous_positions = [p for p, seen, anonymous in zip(self.positions, self.overlapped, self.all_anonymous)
                               if seen and anonymous]
        quotes, positions = self.quotes, len(self.positions)
        claims = quotes + positions
        anonymous = self.anonymous_quotes + len(anonymous_positions)
        share = {
            "quotes": quotes, "anonymous_quotes": self.anonymous_quotes,
            "quote_share": self.anonymous_quotes / quotes if quotes else 0.0,
            "positions": positions, "anonymous_positions": len(anonymous_positions),
            "position_share": len(anonymous_positions) / positions if positions else 0.0,
            "claims": claims, "anonymous_claims": anonymous, "claim_share": anonymous / claims if claims else 0.0,
        }
        if self.quote_reports is not None:
            share["reports"] = list(dict.fromkeys([*self.quote_reports, *(p.report for p in anonymous_positions)]))
        return share


def anonymous_share(analysis: Analysis) -> dict[str, Any]:
    """How many quotes and positions rest on anonymous sources, and the reports they are in.

    A quote is anonymous when its speaker is; a position is when the quotes overlapping its
    sentence in its report are all anonymous (an unattributed position counts as named).
    """
    tally = _AnonymousTally(analysis.positions, keep_reports=True)
    tally.add(analysis.quotes)
    return tally.share()


class ViewFacts:
    """What the views read of a corpus, gathered one kind of record at a time.

    A store's merge builds and writes one kind after another and holds no whole Analysis: it gives
    the positions first (kept: the matrix needs them), then the quotes and events as they are
    merged, and the number of records of every other kind.
    """

    def __init__(self, reports: Iterable[Report], sides: list[Side], issues: list[Issue],
                 positions: list[Position]) -> None:
        self.sides, self.issues, self.positions = sides, issues, positions
        count, copies, self.first, self.last = _report_span(reports)
        self.counts = {"reports": count, "copies": copies,
                       "sides": len(sides), "actors": 0, "quotes": 0, "events": 0, "figures": 0, "measures": 0,
                       "discrepancies": 0, "issues": len(issues), "positions": len(positions), "proposals": 0,
                       "timexes": 0, "dated_events": 0}
        self.histogram: Counter = Counter()
        self.anonymous = _AnonymousTally(positions)

    def add_quotes(self, quotes: list[Quote]) -> None:
        self.counts["quotes"] += len(quotes)
        self.anonymous.add(quotes)

    def add_events(self, events: list[Event]) -> None:
        self.counts["events"] += len(events)
        self.counts["dated_events"] += sum(1 for e in events if e.date)
        for event in events:
            if event.negated or event.hypothetical or not event.date or len(event.date) < 10 or event.date[4] != "-":
                continue
            self.histogram[(event.date[:10], event.type)] += 1

    def count(self, kind: str, number: int) -> None:
        """Records of a kind the views only count (`Analysis` attribute names: "actors", "timexes" ...)."""
        self.counts[kind] += number

    def views(self) -> dict[str, Any]:
        """The matrix, sticking points, event histogram and headline counts."""
        subset = Analysis(sides=self.sides, issues=self.issues, positions=self.positions)
        cells = matrix(subset)
        evidence_count = Counter((p.side, p.issue) for p in self.positions)
        sides = [s.name for s in self.sides if any(c.side == s.name for c in cells)]
        sides += sorted({c.side for c in cells} - set(sides))
        issues = [i.id for i in self.issues if any(c.issue == i.id for c in cells)]
        issues += sorted({c.issue for c in cells} - set(issues))
        return {
            "version": VIEWS_VERSION,
            "counts": dict(self.counts),
            "first": self.first,
            "last": self.last,
            "roles": {s.name: s.role for s in self.sides},
            "propositions": {i.id: i.proposition for i in self.issues},
            "matrix": {"sides": sides, "issues": issues,
                       "cells": [dict(asdict(c), evidence_count=evidence_count[(c.side, c.issue)]) for c in cells]},
            "sticking_points": [asdict(p) for p in sticking_points(subset)],
            "histogram": [{"date": day, "type": kind, "count": n} for (day, kind), n in sorted(self.histogram.items())],
            "anonymous": self.anonymous.share(),
        }


def _report_span(reports: Iterable[Report]) -> tuple[int, int, str | None, str | None]:
    """The number of reports and of copies, and the first and last publication day, in one pass
    (the merge streams its reports from disk)."""
    count = copies = 0
    first = last = None
    for report in reports:
        count += 1
        copies += bool(report.copy_of)
        day = report.published
        if day:
            first = day if first is None or day < first else first
            last = day if last is None or day > last else last
    return count, copies, first, last


def compute_views(analysis: Analysis) -> dict[str, Any]:
    """The matrix, sticking points, event histogram and headline counts of an analysis."""
    facts = ViewFacts(analysis.reports, analysis.sides, analysis.issues, analysis.positions)
    facts.add_quotes(analysis.quotes)
    facts.add_events(analysis.events)
    for kind in ("actors", "timexes", "figures", "measures", "discrepancies", "proposals"):
        facts.count(kind, len(getattr(analysis, kind)))
    return facts.views()


def store_views(store, analysis: Analysis | ViewFacts) -> dict[str, Any]:
    """Compute and keep the views, and rebuild the text search index over the records just stored."""
    views = analysis.views() if isinstance(analysis, ViewFacts) else compute_views(analysis)
    store.put_blob(_NAMESPACE, _KEY, json.dumps(views).encode("utf-8"))
    build_search(store)
    return views


def build_search(store) -> bool:
    """(Re)build the trigram indexes of records' text; False where the backend has no FTS5 (PostgreSQL)."""
    if store.dialect != "sqlite":
        return False
    try:
        with store.engine.begin() as connection:
            for kind in SEARCH_KINDS:
                name = SEARCH_TABLE.format(kind=kind)
                connection.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
                connection.exec_driver_sql(f"CREATE VIRTUAL TABLE {name} USING fts5(text, content='', "
                                           f"tokenize='trigram')")
                connection.exec_driver_sql(f"INSERT INTO {name}(rowid, text) SELECT rowid, text FROM records "
                                           f"WHERE kind = ? AND text IS NOT NULL", (kind,))
    except Exception as e:  # an SQLite built without FTS5 or trigram: searches scan instead
        log.warning("text search index not built (%s); text filters will scan", e)
        return False
    return True


def has_search(store, kind: str) -> bool:
    if store.dialect != "sqlite" or kind not in SEARCH_KINDS:
        return False
    with store.engine.connect() as connection:
        return connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?",
                                          (SEARCH_TABLE.format(kind=kind),)).first() is not None


def load_views(tracker) -> dict[str, Any]:
    """The stored views, computed from the stored model (and kept) when missing or outdated."""
    data = tracker.store.get_blob(_NAMESPACE, _KEY)
    if data:
        digest = hashlib.sha1(data).hexdigest()
        if digest not in _parsed:
            _parsed.clear()
            _parsed[digest] = json.loads(data)
        views = _parsed[digest]
        if views.get("version") == VIEWS_VERSION:
            return views
    log.info("views missing or outdated; computing them from the stored records")
    return store_views(tracker.store, tracker.load())
