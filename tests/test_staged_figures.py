"""`FigureSpool` groups figures on disk: it must make `merge_figures`'s figures, measures and discrepancies."""

from __future__ import annotations

import copy

import pytest

from dealtrace.analyze.figures import merge_figures
from dealtrace.model import Extraction, Figure, Report, to_dict
from dealtrace.staged_figures import FigureSpool


def _report(report_id: str, published: str, copy_of: str | None = None) -> Report:
    return Report(id=report_id, file=f"{report_id}.txt", source=None, raw_text="", body="", outlet=f"{report_id} news",
                  published=published, copy_of=copy_of)


def _figure(report: str, at: int, value: float, bound: str = "exact", counted: str | None = "hostages",
            states: tuple[str, ...] = ("held",), date: str | None = None, sentence: str | None = None,
            **fields) -> Figure:
    return Figure(id=f"{report}:{at}", report=report, file=f"{report}.txt", value=value, bound=bound, unit="people",
                  counted=counted, states=list(states), qualifiers=list(states), date=date, start=at, end=at + 3,
                  sentence=sentence or f"{value} {counted} {' '.join(states)}", **fields)


REPORTS = [_report("a", "2024-07-06"), _report("b", "2024-07-07"), _report("c", "2024-07-07", copy_of="a"),
           _report("d", "2024-07-20"), _report("e", "2024-08-01", copy_of="c")]

CASES = {
    "copies (read before their original too) become sources; 5 and 5.0 are one copy key": [
        Extraction("c", figures=[_figure("c", 4, 120, "about", date="2024-07-06", sentence="About 120 are held."),
                                 _figure("c", 40, 5.0, counted="soldiers", sentence="Five soldiers held.")]),
        Extraction("a", figures=[_figure("a", 9, 120, "about", date="2024-07-06", sentence="about 120 are held."),
                                 _figure("a", 50, 5, counted="soldiers", sentence="Five soldiers held.")]),
        Extraction("e", figures=[_figure("e", 2, 120, "about", date="2024-07-06", sentence="About 120 are held.")]),
    ],
    "generic people and figures without a holder or place join the one measure they fit; contradictions": [
        Extraction("a", figures=[_figure("a", 1, 1200, "at least", counted="people", states=("killed",),
                                         date="2024-07-06"),
                                 _figure("a", 30, 120, date="2024-07-06"),
                                 _figure("a", 60, 120, location="Hollin", date="2024-07-06")]),
        Extraction("b", figures=[_figure("b", 1, 800, "less than", counted="civilians", states=("killed",),
                                         date="2024-07-06"),
                                 _figure("b", 30, 200, location="hollin", date="2024-07-06"),
                                 _figure("b", 70, 3, counted="weeks", states=("truce",))]),
        Extraction("d", figures=[_figure("d", 5, 90, location="Hollin", agent="Lomas", date="2024-07-20"),
                                 _figure("d", 9, 95, location="Hollin", agent="Lomas"),
                                 _figure("d", 20, 1000, counted="civilians", states=("killed",))]),
    ],
    "no figures": [Extraction("a"), Extraction("b")],
}


def _rows(kind: str, record) -> dict:
    return {"kind": kind, **to_dict(record)}


@pytest.mark.parametrize("case", list(CASES))
def test_figure_spool_makes_the_figures_measures_and_discrepancies_of_merge_figures(case):
    found = CASES[case]
    reports = {report.id: report for report in REPORTS}
    figures, measures, discrepancies = merge_figures(copy.deepcopy(found), reports)
    with FigureSpool(reports, _rows) as spool:
        for extraction in found:
            spool.hold(extraction)
        spool.merge()
        spooled_discrepancies = [to_dict(d) for d in spool.discrepancies()]
        spooled_measures = list(spool.measure_rows())
        spooled_figures = list(spool.figure_rows())
    assert spooled_discrepancies == [to_dict(d) for d in discrepancies]
    assert spooled_measures == [_rows("measure", m) for m in measures]
    assert spooled_figures == [_rows("figure", f) for f in figures]
    if case.startswith("copies"):
        assert len(figures) == 2 and [s.report for s in figures[0].sources] == ["a", "c", "e"]
    if case.startswith("generic"):
        assert discrepancies and len(measures) >= 3
