"""Measures and discrepancies: the same quantity across reports, as a dated series.

Figures are grouped into one measure when they count the same thing in the same state (hostages
*held*, people *killed*, the length of a *truce*), with the same holder and place where those are
given. A figure that leaves the holder or place out, or counts "people" where another counts
"detainees", joins the one measure it fits, if only one fits.

Two figures of one measure are a **discrepancy** when their times overlap and their values cannot
both hold given their bounds ("at least 1,200" and "fewer than 800" on the same day). Otherwise
different values are a change over time, summed up as the measure's trend.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, TypeVar

from ..extract.common import fold
from ..extract.figures import STATES, describe
from ..model import Discrepancy, Figure, Measure, Report, SeriesPoint, record_id
from .common import canonical_of, merge_copies

__all__ = ["merge_figures", "build_measures", "iter_measures", "measure_clusters", "measures_of", "measure_key",
           "figure_order", "figure_copy_key", "find_discrepancies", "figure_window", "figure_interval"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_CORE_STATES = set(STATES) | {"planned", "so far"}
_GENERIC_PEOPLE = {"people", "persons", "others", "individuals"}
_DURATIONS = {"second": (1 / 86400, 1 / 86400), "minute": (1 / 1440, 1 / 1440), "hour": (1 / 24, 1 / 24),
              "day": (1, 1), "week": (7, 7), "month": (28, 31), "year": (365, 366), "decade": (3652, 3653)}


@dataclass(frozen=True)
class _Key:
    """What makes two figures the same measure, with the optional parts (holder, place) apart."""

    dimension: str  # people | count | duration | fraction | a currency | percent
    counted: str | None
    states: frozenset[str]
    agent: str | None
    location: str | None


def build_measures(figures: list[Figure], reports: dict[str, Report],
                   lookback_days: int = 7, approx: float = 0.1) -> tuple[list[Measure], list[Discrepancy]]:
    """Group figures into measures (each figure's `measure` becomes its measure's name) and find
    the pairs of figures of one measure that contradict each other."""
    measures: list[Measure] = []
    discrepancies: list[Discrepancy] = []
    for measure, found in iter_measures(figures, reports, lookback_days, approx):
        measures.append(measure)
        discrepancies.extend(found)
    return measures, discrepancies


def iter_measures(figures: list[Figure], reports: dict[str, Report], lookback_days: int = 7,
                  approx: float = 0.1) -> Iterator[tuple[Measure, list[Discrepancy]]]:
    """`build_measures` one measure at a time, with its discrepancies: they grow with the square of a
    measure's figures, so a store's merge writes them as they come rather than holding them all.
    A figure's `measure` is set when its measure is yielded."""
    clusters = measure_clusters((measure_key(figure), figure) for figure in figures)
    ordered = sorted(clusters.items(), key=lambda kv: figure_order(kv[1][0], lookback_days))
    yield from measures_of(ordered, reports, lookback_days, approx)


def measure_clusters(keyed: Iterable[tuple[_Key, T]]) -> dict[_Key, list[T]]:
    """The figures (or anything standing for them) of each measure, by the measure's key, in the order
    given; a less specific cluster already folded into the one it fits."""
    clusters: dict[_Key, list[T]] = {}
    for key, member in keyed:
        clusters.setdefault(key, []).append(member)
    return _merge_partial(clusters)


def measures_of(clusters: Iterable[tuple[_Key, list[Figure]]], reports: dict[str, Report], lookback_days: int = 7,
                approx: float = 0.1) -> Iterator[tuple[Measure, list[Discrepancy]]]:
    """A measure and its discrepancies for each cluster, in the order given (`measure_clusters`, sorted by
    each cluster's first figure's `figure_order`); a repeated name gets a number."""
    names: dict[str, int] = {}
    for key, members in clusters:
        members.sort(key=lambda f: figure_order(f, lookback_days))
        name = _name(key, members)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = f"{name} ({names[name]})"
        measure = Measure(id=record_id("measure", key.dimension, key.counted, sorted(key.states), key.agent,
                                       key.location),
                          name=name, figures=[f.id for f in members], unit=members[0].unit, counted=key.counted,
                          states=sorted(key.states), agent=key.agent, location=key.location)
        for figure in members:
            figure.measure = name
        measure.series = _series(members, reports)
        measure.trend = _trend(measure.series)
        found = [] if key.dimension == "fraction" else find_discrepancies(measure, members, reports, lookback_days,
                                                                           approx)
        yield measure, found


def measure_key(figure: Figure) -> _Key:
    """What makes figures one measure (`_Key`)."""
    unit = figure.unit
    if unit in _DURATIONS:
        dimension = "duration"
    elif unit in (None, "people"):
        dimension = "count"
    else:
        dimension = unit
    counted = fold(figure.counted) if figure.counted else None
    states = frozenset(s for s in figure.states if s in _CORE_STATES or dimension not in ("count",))
    return _Key(dimension, counted, states, fold(figure.agent) if figure.agent else None,
                fold(figure.location) if figure.location else None)


def _fits(general: _Key, specific: _Key) -> bool:
    """Whether figures under `general` can join `specific`: nothing given differs, and
    `specific` says more (a holder, a place, a named kind of people)."""
    if general == specific or general.dimension != specific.dimension or general.states != specific.states:
        return False
    if general.counted != specific.counted and not (
            general.counted in _GENERIC_PEOPLE and specific.counted is not None and general.dimension == "count"):
        return False
    for attr in ("agent", "location"):
        mine, theirs = getattr(general, attr), getattr(specific, attr)
        if mine is not None and mine != theirs:
            return False
    return True


def _merge_partial(clusters: dict[_Key, list[Figure]]) -> dict[_Key, list[Figure]]:
    """Fold each less specific cluster into the one more specific cluster it fits, when unique.

    Least specific first, and after each fold again from the first cluster whose answer the fold
    may have changed (one the folded cluster was a target of); folding only takes a target away,
    so no other cluster's answer changes. Targets and the clusters that fit one are looked up
    in `_Family` instead of asking every cluster: asking them all again after each fold took 102
    million `_fits` calls for 10k short reports.
    """
    order = sorted(clusters, key=_specificity)
    place = {key: at for at, key in enumerate(order)}
    families: dict[tuple, _Family] = {}
    for key in order:
        families.setdefault((key.dimension, key.states), _Family()).add(key)
    at = 0
    while at < len(order):
        key = order[at]
        family = families[(key.dimension, key.states)]
        if key not in family.keys:
            at += 1
            continue
        targets = [other for other in family.targets_of(key) if _fits(key, other)]
        # the most specific target that every other target fits into
        targets = [t for t in targets if all(t == o or _fits(o, t) for o in targets)]
        if len(targets) != 1:
            at += 1
            continue
        clusters[targets[0]].extend(clusters.pop(key))
        family.remove(key)
        at = min([at + 1, *(place[other] for other in family.fitting(key) if _fits(other, key))])
    return clusters


class _Family:
    """The measure keys of one dimension and states, indexed by what `_fits` compares.

    Each key is filed under its own (counted, holder, place) and under the same with the holder,
    the place or both left out: the keys a less specific one may join are one lookup per counted
    noun it accepts, and the keys that may join it one exact lookup per combination.
    """

    def __init__(self) -> None:
        self.keys: set[_Key] = set()
        self.patterns: dict[tuple, list[_Key]] = {}
        self.nouns: set[str] = set()

    def add(self, key: _Key) -> None:
        self.keys.add(key)
        if key.counted is not None:
            self.nouns.add(key.counted)
        for agent in {key.agent, None}:
            for location in {key.location, None}:
                self.patterns.setdefault((key.counted, agent, location), []).append(key)

    def remove(self, key: _Key) -> None:
        self.keys.discard(key)

    def targets_of(self, key: _Key) -> list[_Key]:
        """Keys that may be more specific than `key` (`_fits` decides)."""
        generic = key.counted in _GENERIC_PEOPLE and key.dimension == "count"
        nouns = sorted(self.nouns) if generic else [key.counted]
        return [other for noun in nouns for other in self.patterns.get((noun, key.agent, key.location), ())
                if other in self.keys]

    def fitting(self, key: _Key) -> list[_Key]:
        """Keys that may be less specific than `key` (`_fits` decides): its counted noun or a generic one,
        its holder or none, its place or none."""
        nouns = {key.counted}
        if key.counted is not None and key.dimension == "count":
            nouns |= _GENERIC_PEOPLE
        wanted = (_Key(key.dimension, noun, key.states, agent, location) for noun in nouns
                  for agent in {key.agent, None} for location in {key.location, None})
        return [other for other in wanted if other in self.keys]


def _specificity(key: _Key) -> tuple[int, str]:
    given = sum(x is not None for x in (key.agent, key.location))
    given += key.counted is not None and key.counted not in _GENERIC_PEOPLE
    return given, repr(key)


def _name(key: _Key, members: list[Figure]) -> str:
    """The measure's readable name, from its key and the words its figures share."""
    agent = next((f.agent for f in members if f.agent and fold(f.agent) == key.agent), None)
    location = next((f.location for f in members if f.location and fold(f.location) == key.location), None)
    counted = next((f.counted for f in members if f.counted and fold(f.counted) == key.counted), key.counted)
    common = None
    for figure in members:
        words = [q for q in figure.qualifiers if q not in _CORE_STATES and q[:1].isupper()]
        common = words if common is None else [w for w in common if w in words]
    unit = members[0].unit
    return describe(counted, sorted(key.states, key=_state_order), common or [], unit, agent, location)


def _state_order(state: str) -> tuple[int, str]:
    order = list(STATES)
    return (order.index(state) if state in order else len(order), state)


# --- time ------------------------------------------------------------------------------------------

def figure_window(figure: Figure, lookback_days: int = 7) -> tuple[dt.date, dt.date] | None:
    """The days a figure speaks for: its timex's day, week, month or year; or, dated only by
    publication, the days up to publication (reports give the latest count they had)."""
    if not figure.date:
        return None
    window = _period(figure.date)
    if window is None:
        return None
    if figure.date_text is None and window[0] == window[1]:
        return window[1] - dt.timedelta(days=lookback_days), window[1]
    return window


def _period(value: str) -> tuple[dt.date, dt.date] | None:
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            first = dt.date(int(m[1]), int(m[2]), 1)
            following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        if m := re.fullmatch(r"(\d{4})", value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def figure_order(figure: Figure, lookback_days: int = 7) -> tuple:
    """Where a figure stands in its measure (by the last day it speaks for), and its measure among others."""
    window = figure_window(figure, lookback_days)
    if window is None:
        return (1, dt.date.max, dt.date.max, figure.report, figure.start)
    return (0, window[1], window[0], figure.report, figure.start)


# --- values ----------------------------------------------------------------------------------------

def figure_interval(figure: Figure, approx: float = 0.1) -> tuple[float, bool, float, bool]:
    """(low, low_open, high, high_open): every value the figure allows, given its bound.
    Lengths are in days so that "six weeks" and "42 days" compare."""
    value = figure.value
    scale = _DURATIONS.get(figure.unit or "", (1, 1))
    bound = figure.bound
    if bound == "range" and figure.low is not None and figure.high is not None:
        low, low_open, high, high_open = figure.low, False, figure.high, False
    elif bound == "about":
        slack = max(value * approx, 1 if value >= 5 else 0.5)
        low, low_open, high, high_open = value - slack, False, value + slack, False
    elif bound == "more than":
        low, low_open, high, high_open = value, True, math.inf, False
    elif bound == "at least":
        low, low_open, high, high_open = value, False, math.inf, False
    elif bound == "nearly":
        low, low_open, high, high_open = value * (1 - approx), False, value, False
    elif bound in ("up to", "at most"):
        low, low_open, high, high_open = 0.0, False, value, False
    elif bound == "less than":
        low, low_open, high, high_open = 0.0, False, value, True
    else:
        slack = _rounding(value)
        low, low_open, high, high_open = value - slack, False, value + slack, False
    return low * scale[0], low_open, high * scale[1], high_open


def _rounding(value: float) -> float:
    """Half the unit a round number was rounded to: "120" may be 115 to 125, "40,000" 35,000 to 45,000;
    "109" is exact."""
    if value < 10 or not float(value).is_integer():
        return 0.0
    unit = 1
    while value % (unit * 10) == 0 and unit * 10 <= value / 2:
        unit *= 10
    return unit / 2 if unit > 1 else 0.0


def _disjoint(a: tuple[float, bool, float, bool], b: tuple[float, bool, float, bool]) -> bool:
    def below(x, y):  # all of x lies below all of y
        return x[2] < y[0] or (x[2] == y[0] and (x[3] or y[1]))
    return below(a, b) or below(b, a)


def _phrase(figure: Figure) -> str:
    bound = "" if figure.bound in ("exact", "range") else f"{figure.bound} "
    if figure.bound == "range" and figure.low is not None and figure.high is not None:
        number = f"{_number(figure.low)}-{_number(figure.high)}"
    else:
        number = _number(figure.value)
    return f"{bound}{number}"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def find_discrepancies(measure: Measure, members: list[Figure], reports: dict[str, Report],
                       lookback_days: int = 7, approx: float = 0.1) -> list[Discrepancy]:
    """Pairs of figures from different reports whose times overlap and whose values cannot both hold.

    Only figures whose windows overlap can disagree, so the figures are swept in order of their
    windows' first days, each compared with those whose windows are still open: a measure followed
    for years costs its figures times the figures of a few days, not the square of all of them.
    Pairs come out in `members` order, as `itertools.combinations` would give them."""
    dated = []
    for index, figure in enumerate(members):
        window = figure_window(figure, lookback_days)
        if window is not None:
            dated.append((window[0], window[1], index))
    dated.sort()
    canonical = {index: canonical_of(members[index].report, reports) for _, _, index in dated}
    intervals = {index: figure_interval(members[index], approx) for _, _, index in dated}
    pairs: list[tuple[int, int, dt.date, dt.date]] = []
    open_windows: list[tuple[dt.date, dt.date, int]] = []  # (last day, first day, index)
    for first, last, index in dated:
        if open_windows and any(day < first for day, _, _ in open_windows):
            open_windows = [entry for entry in open_windows if entry[0] >= first]
        for other_last, _, other in open_windows:
            if canonical[other] == canonical[index] or not _disjoint(intervals[other], intervals[index]):
                continue
            # `other` opened no later than `index`, so the overlap runs from `first`
            pairs.append((min(index, other), max(index, other), first, min(last, other_last)))
        open_windows.append((last, first, index))
    pairs.sort()
    found = []
    for i, j, start, end in pairs:
        a, b = members[i], members[j]
        reason = (f"{measure.name}: {_phrase(a)} ({_who(a, reports)}) and {_phrase(b)} ({_who(b, reports)}) "
                  f"cannot both hold for {start.isoformat()}" +
                  ("" if start == end else f" to {end.isoformat()}"))
        found.append(Discrepancy(measure=measure.id, figures=[a.id, b.id], reason=reason,
                                 id=record_id("discrepancy", a.id, b.id),
                                 window=f"{start.isoformat()}/{end.isoformat()}", reports=[a.report, b.report]))
    return found


def _who(figure: Figure, reports: dict[str, Report]) -> str:
    report = reports.get(figure.report)
    parts = [report.outlet or report.file or report.id] if report is not None else [figure.report]
    if figure.attribution:
        parts.append(f"citing {figure.attribution}")
    if figure.date:
        parts.append(figure.date)
    return ", ".join(p for p in parts if p)


# --- series ----------------------------------------------------------------------------------------

def _series(members: list[Figure], reports: dict[str, Report]) -> list[SeriesPoint]:
    """One point per report and value, in time order."""
    points: list[SeriesPoint] = []
    seen = set()
    for figure in members:
        key = (canonical_of(figure.report, reports), figure.value, figure.bound, figure.date)
        if key in seen:
            continue
        seen.add(key)
        report = reports.get(figure.report)
        points.append(SeriesPoint(figure=figure.id, value=figure.value, bound=figure.bound, low=figure.low,
                                  high=figure.high, unit=figure.unit, date=figure.date, report=figure.report,
                                  file=figure.file, outlet=report.outlet if report else None,
                                  attribution=figure.attribution))
    return points


def _trend(points: list[SeriesPoint]) -> str | None:
    """up, down, steady or mixed across the dated values, one (mean) value per date; None with
    fewer than two dates (values given for one date differ by source, not over time)."""
    by_date: dict[str, list[float]] = {}
    for point in points:
        if point.date is not None:
            by_date.setdefault(point.date, []).append(point.value)
    values = [sum(v) / len(v) for _, v in sorted(by_date.items(), key=lambda kv: _period_end(kv[0]))]
    if len(values) < 2:
        return None
    steps = [b - a for a, b in zip(values, values[1:]) if b != a]
    if not steps:
        return "steady"
    if all(s > 0 for s in steps):
        return "up"
    if all(s < 0 for s in steps):
        return "down"
    return "mixed"


def _period_end(value: str) -> dt.date:
    period = _period(value)
    return period[1] if period else dt.date.max


def figure_copy_key(figure: Figure) -> tuple:
    """What one figure shares with its copies in copied reports: value, unit and sentence."""
    return figure.value, figure.unit, fold(figure.sentence or "")


def merge_figures(extractions: list, reports: dict[str, Report]) -> tuple[list[Figure], list[Measure],
                                                                        list[Discrepancy]]:
    """Every figure of a corpus once (copies become sources), grouped into measures, with discrepancies."""
    figures = merge_copies([f for found in extractions for f in found.figures], reports, key=figure_copy_key)
    measures, discrepancies = build_measures(figures, reports)
    return figures, measures, discrepancies
