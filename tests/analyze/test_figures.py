"""Measures and discrepancies: figures built by hand, grouped across reports and compared in time."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dealtrace.analyze.figures import build_measures, figure_interval, figure_window
from dealtrace.model import Figure, Report


def _report(report_id: str, published: str | None, outlet: str = "Wire", copy_of: str | None = None) -> Report:
    return Report(id=report_id, file=f"{report_id}.txt", source=None, raw_text="", body="", outlet=outlet,
                  published=published, copy_of=copy_of)


def _figure(figure_id: str, report: str, value: float, bound: str = "exact", counted: str = "hostages",
            states: tuple[str, ...] = ("held",), date: str | None = None, date_text: str | None = None,
            unit: str | None = "people", **fields) -> Figure:
    return Figure(id=figure_id, report=report, file=f"{report}.txt", value=value, bound=bound, unit=unit,
                  counted=counted, states=list(states), qualifiers=list(states), date=date, date_text=date_text,
                  **fields)


def _reports(*reports: Report) -> dict[str, Report]:
    return {report.id: report for report in reports}


def test_build_measures_hostage_series_is_a_change_over_time_not_a_discrepancy():
    """Issue 9: about 120 in July and roughly 109 in August are one measure, trending down."""
    reports = _reports(_report("july", "2024-07-06"), _report("august", "2024-08-20"))
    figures = [_figure("a", "july", 120, "about", location="Gaza", date="2024-07-06"),
               _figure("b", "july", 120, "exact", date="2024-07-06"),  # "the remaining 120 hostages"
               _figure("c", "august", 109, "about", location="Gaza", date="2024-08-20")]
    measures, discrepancies = build_measures(figures, reports)
    assert len(measures) == 1 and discrepancies == []
    measure = measures[0]
    assert measure.name == "hostages held in Gaza" and measure.trend == "down"
    assert [p.value for p in measure.series] == [120, 120, 109] or [p.value for p in measure.series] == [120, 109]
    assert {f.measure for f in figures} == {"hostages held in Gaza"}


def test_build_measures_flags_values_that_cannot_both_hold_in_the_same_week():
    reports = _reports(_report("r1", "2024-09-03", "Wire A"), _report("r2", "2024-09-05", "Wire B"))
    figures = [_figure("a", "r1", 60, "more than", states=("alive",), date="2024-09-03"),
               _figure("b", "r2", 40, "about", states=("alive",), date="2024-09-05")]
    measures, discrepancies = build_measures(figures, reports)
    assert len(measures) == 1 and len(discrepancies) == 1
    found = discrepancies[0]
    assert set(found.figures) == {"a", "b"} and found.measure == measures[0].id
    assert found.window == "2024-08-29/2024-09-03" and set(found.reports) == {"r1", "r2"}
    assert "more than 60" in found.reason and "about 40" in found.reason and "Wire A" in found.reason


@pytest.mark.parametrize("first, second", [
    (("at least", 40000), ("more than", 40500)),
    (("about", 120), ("about", 109)),  # 10 percent slack each side overlaps
    (("up to", 400), ("exact", 300)),
    (("nearly", 500), ("exact", 480)),
])
def test_build_measures_compatible_bounds_are_no_discrepancy(first, second):
    reports = _reports(_report("r1", "2024-09-03"), _report("r2", "2024-09-04"))
    figures = [_figure("a", "r1", first[1], first[0], date="2024-09-03"),
               _figure("b", "r2", second[1], second[0], date="2024-09-04")]
    assert build_measures(figures, reports)[1] == []


def test_build_measures_copies_of_one_report_never_contradict():
    reports = _reports(_report("wire", "2024-09-03"), _report("repost", "2024-09-03", copy_of="wire"))
    figures = [_figure("a", "wire", 60, date="2024-09-03"), _figure("b", "repost", 70, date="2024-09-03")]
    assert build_measures(figures, reports)[1] == []


def test_build_measures_undated_figures_are_never_compared():
    reports = _reports(_report("r1", None), _report("r2", "2024-09-03"))
    figures = [_figure("a", "r1", 60), _figure("b", "r2", 70, date="2024-09-03")]
    measures, discrepancies = build_measures(figures, reports)
    assert discrepancies == [] and [p.date for p in measures[0].series] == ["2024-09-03", None]


def test_build_measures_timex_week_overlaps_publication_window():
    reports = _reports(_report("r1", "2024-09-05"), _report("r2", "2024-09-20"))
    figures = [_figure("a", "r1", 6, states=("dead", "found"), date="2024-W36", date_text="this week"),
               _figure("b", "r2", 9, states=("dead", "found"), date="2024-09-20")]
    # week 36 of 2024 is Sep 2-8; the second report speaks for Sep 13-20: no overlap, a change
    measures, discrepancies = build_measures(figures, reports)
    assert discrepancies == [] and measures[0].trend == "up"


def test_build_measures_figure_without_holder_joins_the_one_measure_it_fits():
    reports = _reports(_report("r1", "2025-03-06"), _report("r2", "2025-03-14"), _report("r3", "2025-04-12"))
    figures = [_figure("a", "r1", 300, "about", counted="detainees", agent="Front", date="2025-03-06"),
               _figure("b", "r2", 300, "about", counted="people", date="2025-03-14"),  # "300 people it holds"
               _figure("c", "r3", 240, "about", counted="people", agent="Front", date="2025-04-12")]
    measures, _ = build_measures(figures, reports)
    assert len(measures) == 1 and measures[0].name == "detainees held by Front"
    assert [p.value for p in measures[0].series] == [300, 300, 240] and measures[0].trend == "down"


def test_build_measures_figure_fitting_two_measures_stays_apart():
    reports = _reports(_report("r1", "2025-03-06"), _report("r2", "2025-03-14"))
    figures = [_figure("a", "r1", 300, counted="people", agent="Front", date="2025-03-06"),
               _figure("b", "r1", 1100, counted="people", agent="Government", date="2025-03-06"),
               _figure("c", "r2", 500, counted="people", date="2025-03-14")]
    measures, discrepancies = build_measures(figures, reports)
    assert len(measures) == 3 and discrepancies == []
    assert len({m.name for m in measures}) == 3


def test_build_measures_planned_terms_and_states_split_measures():
    reports = _reports(_report("r1", "2025-04-08"), _report("r2", "2025-04-12"))
    figures = [_figure("a", "r1", 400, "about", counted="observers", states=("planned",), date="2025-04-08"),
               _figure("b", "r2", 30, counted="observers", states=(), date="2025-04-12"),
               _figure("c", "r2", 30, counted="observers", states=("released",), date="2025-04-12")]
    measures, discrepancies = build_measures(figures, reports)
    assert len(measures) == 3 and discrepancies == []


def test_build_measures_open_participles_do_not_split_people_counts():
    reports = _reports(_report("r1", "2025-04-12"), _report("r2", "2025-04-30"))
    figures = [_figure("a", "r1", 30, counted="observers", states=(), date="2025-04-12"),
               _figure("b", "r2", 80, counted="observers", states=("arrived",), location="Varrow",
                       date="2025-04-30")]
    measures, _ = build_measures(figures, reports)
    assert len(measures) == 1 and measures[0].trend == "up"


def test_build_measures_lengths_compare_in_days():
    reports = _reports(_report("r1", "2024-07-05"), _report("r2", "2024-07-06"), _report("r3", "2024-07-06"))
    six_weeks = _figure("a", "r1", 6, counted="truce", states=(), unit="week", date="2024-07-05")
    forty_two = _figure("b", "r2", 42, counted="truce", states=(), unit="day", date="2024-07-06")
    assert build_measures([six_weeks, forty_two], reports)[1] == []
    sixty = _figure("c", "r3", 60, counted="truce", states=(), unit="day", date="2024-07-06")
    assert len(build_measures([six_weeks, sixty], reports)[1]) == 1


@pytest.mark.parametrize("value, granularity, expected", [
    ("2024-08-20", "timex", (dt.date(2024, 8, 20), dt.date(2024, 8, 20))),
    ("2024-W34", "timex", (dt.date(2024, 8, 19), dt.date(2024, 8, 25))),
    ("2024-02", "timex", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2023", "timex", (dt.date(2023, 1, 1), dt.date(2023, 12, 31))),
    ("2024-08-20", None, (dt.date(2024, 8, 13), dt.date(2024, 8, 20))),
    ("PRESENT_REF", "timex", None),
])
def test_figure_window_reads_timex_values_and_looks_back_from_publication(value, granularity, expected):
    figure = _figure("a", "r", 1, date=value, date_text=granularity)
    assert figure_window(figure) == expected


@pytest.mark.parametrize("bound, value, expected", [
    ("exact", 109, (109, False, 109, False)),
    ("exact", 120, (115, False, 125, False)),  # a round number: rounded to the ten
    ("exact", 40000, (35000, False, 45000, False)),
    ("about", 100, (90, False, 110, False)),
    ("more than", 60, (60, True, math.inf, False)),
    ("at least", 60, (60, False, math.inf, False)),
    ("nearly", 100, (90, False, 100, False)),
    ("up to", 400, (0, False, 400, False)),
    ("less than", 800, (0, False, 800, True)),
])
def test_figure_interval_follows_the_bound(bound, value, expected):
    assert figure_interval(_figure("a", "r", value, bound)) == pytest.approx(expected)


def test_figure_interval_of_a_range_is_its_ends():
    figure = _figure("a", "r", 30, "range", low=30, high=40)
    assert figure_interval(figure) == (30, False, 40, False)


def _every_pair(members, reports):
    """The definition the sweep must keep: every pair of figures, checked one by one."""
    from itertools import combinations

    from dealtrace.analyze.figures import _disjoint

    pairs = []
    for a, b in combinations(members, 2):
        if reports[a.report].copy_of == b.report or reports[b.report].copy_of == a.report or a.report == b.report:
            continue
        wa, wb = figure_window(a), figure_window(b)
        if wa is None or wb is None or max(wa[0], wb[0]) > min(wa[1], wb[1]):
            continue
        if _disjoint(figure_interval(a), figure_interval(b)):
            pairs.append((a.id, b.id, f"{max(wa[0], wb[0]).isoformat()}/{min(wa[1], wb[1]).isoformat()}"))
    return pairs


@pytest.mark.parametrize("seed", range(6))
def test_find_discrepancies_sweep_finds_every_pair_the_definition_does(seed):
    import random

    from dealtrace.analyze.figures import find_discrepancies
    from dealtrace.model import Measure

    rng = random.Random(seed)
    reports = {f"r{i}": Report(id=f"r{i}", file=None, source=None, raw_text="", body="",
                               published=f"2024-07-{1 + i % 28:02d}", copy_of=f"r{i - 1}" if i % 9 == 8 else None)
               for i in range(40)}
    dates = [None, "2024-07", "2024-W29", "2024", "2024-07-03", "2024-07-10", "2024-07-11", "2024-07-20"]
    members = []
    for n in range(120):
        report = f"r{rng.randrange(40)}"
        date = rng.choice(dates) or (None if rng.random() < 0.3 else reports[report].published)
        members.append(Figure(id=f"f{n}", report=report, file=None, value=float(rng.choice([40, 55, 100, 120, 1200])),
                              bound=rng.choice(["exact", "at least", "about", "less than", "more than"]), date=date,
                              date_text=None if date == reports[report].published else date))
    found = find_discrepancies(Measure(id="m", name="people killed"), members, reports)
    expected = _every_pair(members, reports)
    assert expected  # the draw has contradictions to find
    assert [(d.figures[0], d.figures[1], d.window) for d in found] == expected


def _fold_from_the_start(clusters):
    """The definition `_merge_partial` keeps: after every fold, ask every cluster again from the least specific."""
    from dealtrace.analyze.figures import _fits, _specificity

    changed = True
    while changed:
        changed = False
        for key in sorted(clusters, key=_specificity):
            targets = [other for other in clusters if _fits(key, other)]
            targets = [t for t in targets if all(t == o or _fits(o, t) for o in targets)]
            if len(targets) == 1:
                clusters[targets[0]].extend(clusters.pop(key))
                changed = True
                break
    return clusters


@pytest.mark.parametrize("seed", range(8))
def test_merge_partial_folds_as_asking_every_cluster_again_would(seed):
    import random

    from dealtrace.analyze.figures import _Key, _merge_partial

    rng = random.Random(seed)
    keys = {_Key(rng.choice(["count", "USD"]), rng.choice([None, "people", "persons", "hostages", "prisoners"]),
                 frozenset(rng.sample(["held", "freed", "killed"], rng.randint(0, 1))),
                 rng.choice([None, None, "a", "b"]), rng.choice([None, None, "x", "y"])) for _ in range(60)}
    clusters = {key: [f"{n}"] for n, key in enumerate(sorted(keys, key=repr))}
    expected = _fold_from_the_start({key: list(members) for key, members in clusters.items()})
    folded = _merge_partial(clusters)
    assert len(expected) < len(keys)  # the draw has folds to make
    assert list(folded.items()) == list(expected.items())
