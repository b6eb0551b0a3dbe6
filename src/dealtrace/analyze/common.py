"""Shared by the corpus-level stages: copies collapse into one record with several sources."""

from __future__ import annotations

from typing import Callable, Hashable, Iterable, Mapping, TypeVar

from ..model import Report, Source

T = TypeVar("T")


def canonical_of(report_id: str, reports: Mapping[str, Report]) -> str:
    """The report a copy points to (following chains), or itself."""
    seen = set()
    while report_id in reports and reports[report_id].copy_of and report_id not in seen:
        seen.add(report_id)
        report_id = reports[report_id].copy_of
    return report_id


def source_of(report: Report, start: int | None = None, end: int | None = None) -> Source:
    return Source(report=report.id, file=report.file, outlet=report.outlet, published=report.published,
                  start=start, end=end)


def merge_copies(records: Iterable[T], reports: Mapping[str, Report], key: Callable[[T], Hashable]) -> list[T]:
    """One record per (canonical report, key): a quote in three copies is one quote with three sources.

    The record kept is the one from the canonical report when there is one, else the first seen.
    """
    groups: dict[tuple[str, Hashable], list[T]] = {}
    for record in records:
        canonical = canonical_of(record.report, reports)  # type: ignore[attr-defined]
        groups.setdefault((canonical, key(record)), []).append(record)
    merged = []
    for (canonical, _), group in groups.items():
        group.sort(key=lambda r: r.report != canonical)  # type: ignore[attr-defined]
        kept = group[0]
        sources: list[Source] = []
        for record in group:
            report = reports.get(record.report)  # type: ignore[attr-defined]
            if report is not None and all(s.report != report.id for s in sources):
                sources.append(source_of(report, getattr(record, "start", None), getattr(record, "end", None)))
        kept.sources = sources  # type: ignore[attr-defined]
        merged.append(kept)
    return merged
