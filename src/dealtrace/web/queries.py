"""Read-only queries the API pages through: one page of records plus the total that match."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, func, literal_column, select, text

from ..report.views import SEARCH_TABLE, has_search

from ..model import Report
from ..store import Store, schema
from .deps import ApiError, Filters, Page

__all__ = ["record_page", "capped", "MAX_COUNT", "record_by_id", "report_page", "report_by_id", "records_of_report", "actors_in_report",
           "REPORT_SUMMARY_FIELDS"]

REPORT_SUMMARY_FIELDS = ["id", "file", "source", "title", "outlet", "authors", "dateline", "published", "language",
                         "format", "copy_of", "story", "sources"]
_REPORT_FILTERS = {"report", "text", "date_from", "date_to"}


def _record_conditions(kind: str, filters: Filters, search: bool = False) -> list:
    table = schema.records
    conditions = [table.c.kind == kind]
    for name, column in (("report", "report_id"), ("side", "side"), ("actor", "actor"), ("issue", "issue")):
        value = getattr(filters, name)
        if value:
            conditions.append(table.c[column] == value)
    if filters.text and not search:
        conditions.append(table.c.text.ilike(f"%{_like(filters.text)}%", escape="\\"))
    if filters.date_from:
        conditions.append(table.c.date >= filters.date_from)
    if filters.date_to:
        conditions.append(table.c.date <= upper_bound(filters.date_to))
    return conditions


def upper_bound(day: str) -> str:
    """The largest date text within `day`: "2025-04" means the whole month, so up to "2025-04-99".

    Comparing with a constant (not a substring of the column) lets the (kind, date) index serve the range.
    """
    return day + "-99" if len(day) == 7 else day


_searchable_cache: dict[tuple[str, str], bool] = {}


def _searchable(store: Store, kind: str) -> bool:
    """Whether the store has a trigram index for this kind (checked once per store, kind and process)."""
    key = (store.url, kind)
    if key not in _searchable_cache:
        _searchable_cache[key] = has_search(store, kind)
    return _searchable_cache[key]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def record_page(store: Store, kind: str, filters: Filters, page: Page, order: str = "seq",
                count: bool = True) -> tuple[int, list[dict]]:
    """Records of one kind matching `filters`, `page` of them, and how many match in all.

    A text filter of three characters or more goes through the kind's trigram index when the
    store has one; its total is then exact up to `MAX_COUNT` and capped there (see `capped`).
    """
    table = schema.records
    search = bool(filters.text) and len(filters.text.strip()) >= 3 and _searchable(store, kind)
    conditions = _record_conditions(kind, filters, search=search)
    if order == "date_all":
        # Small filtered sets (one matrix cell): date order with undated records last.
        ordering = [table.c.date.is_(None), table.c.date, table.c.seq]
    elif order in ("date", "date_desc"):
        # Dated records only, along the (kind, date) index; undated ones have no place in date order.
        conditions.append(table.c.date.isnot(None))
        ordering = [table.c.date] if order == "date" else [table.c.date.desc()]
    else:
        # Rows of a kind are inserted in seq order, so rowid order is seq order (and cheap after a search).
        ordering = [literal_column("records.rowid")] if store.dialect == "sqlite" else [table.c.seq]
    if search:
        return _search_page(store, kind, filters, page, conditions, ordering, order)
    query = select(table.c.data).where(*conditions).order_by(*ordering).limit(page.limit).offset(page.offset)
    counting = select(func.count()).select_from(table).where(*conditions)
    with store.engine.connect() as connection:
        rows = [row[0] for row in connection.execute(query)]
        total = connection.execute(counting).scalar_one() if count else -1
    return total, rows


MAX_COUNT = 10_000


def capped(total: int) -> bool:
    """Whether a total from a text search stopped counting at MAX_COUNT."""
    return total >= MAX_COUNT


def _search_page(store: Store, kind: str, filters: Filters, page: Page, conditions: list, ordering: list,
                 order: str) -> tuple[int, list[dict]]:
    """A text search driven from the trigram index: matching rowids first, then their rows."""
    table = schema.records
    name = SEARCH_TABLE.format(kind=kind)
    phrase = '"' + filters.text.strip().replace('"', '""') + '"'
    # "+kind" checks the kind without letting SQLite pick the kind index over the matched rowids
    # (a guard for the moment between a refresh's records and its rebuilt index).
    same_kind = text("+records.kind = :kind").bindparams(kind=kind)
    alone = len(filters.given()) == 1 and order not in ("date", "date_desc", "date_all")
    matching = select(literal_column("rowid")).select_from(text(name)).where(
        text(f"{name} MATCH :phrase").bindparams(phrase=phrase))
    if alone:
        # Only the text filter: the index yields rowids in order, so page inside it.
        inner = matching.order_by(literal_column("rowid")).limit(page.limit).offset(page.offset)
        query = select(table.c.data).where(literal_column("records.rowid").in_(inner), same_kind).order_by(*ordering)
        count = select(func.count()).select_from(matching.limit(MAX_COUNT).subquery())
    else:
        where = [literal_column("records.rowid").in_(matching), same_kind, *conditions[1:]]
        query = select(table.c.data).where(*where).order_by(*ordering).limit(page.limit).offset(page.offset)
        count = select(func.count()).select_from(select(literal_column("1")).select_from(table).where(*where)
                                                 .limit(MAX_COUNT).subquery())
    with store.engine.connect() as connection:
        rows = [row[0] for row in connection.execute(query)]
        total = connection.execute(count).scalar_one()
    return total, rows


def record_by_id(store: Store, kind: str, record_id: str) -> dict[str, Any]:
    table = schema.records
    with store.engine.connect() as connection:
        data = connection.execute(select(table.c.data).where(table.c.kind == kind, table.c.id == record_id)).scalar()
    if data is None:
        raise ApiError(404, f"no {kind} with id {record_id!r}.")
    return data


def report_page(store: Store, filters: Filters, page: Page) -> tuple[int, list[dict]]:
    """Reports (metadata only, no text) matching `filters`: id, title text, publication dates."""
    unused = set(filters.given()) - _REPORT_FILTERS
    if unused:
        raise ApiError(400, f"filter {sorted(unused)[0]!r} does not apply to reports; use report, text, "
                            f"date_from or date_to.")
    table = schema.reports
    conditions = []
    if filters.report:
        conditions.append(table.c.id == filters.report)
    if filters.text:
        conditions.append(table.c.title.ilike(f"%{_like(filters.text)}%", escape="\\"))
    if filters.date_from:
        conditions.append(table.c.published >= filters.date_from)
    if filters.date_to:
        conditions.append(table.c.published <= upper_bound(filters.date_to))
    columns = [table.c[name] for name in REPORT_SUMMARY_FIELDS]
    query = (select(*columns).where(*conditions).order_by(table.c.published, table.c.file, table.c.id)
             .limit(page.limit).offset(page.offset))
    count = select(func.count()).select_from(table).where(*conditions)
    with store.engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
        total = connection.execute(count).scalar_one()
    for row in rows:
        row["authors"] = row["authors"] or []
        row["sources"] = row["sources"] or []
    return total, rows


def report_by_id(store: Store, report_id: str) -> Report:
    found = next(store.reports([report_id]), None)
    if found is None:
        raise ApiError(404, f"no report with id {report_id!r}.")
    return found


def records_of_report(store: Store, report_id: str, kinds: list[str]) -> dict[str, list[dict]]:
    table = schema.records
    out: dict[str, list[dict]] = {kind: [] for kind in kinds}
    query = select(table.c.kind, table.c.data).where(table.c.kind.in_(kinds), table.c.report_id == report_id)
    with store.engine.connect() as connection:
        for kind, data in connection.execute(query):
            out[kind].append(data)
    return out


def actors_in_report(store: Store, report_id: str) -> list[dict]:
    """Actors with a mention in this report.

    Only rows whose text holds the report's id are parsed: an actor row lists every mention, so
    at 99,836 reports the 4,254 actor rows were 94 MB of JSON, and parsing them all took 1.1 s
    for each report page.
    """
    table = schema.records
    query = select(table.c.data).where(table.c.kind == "actor",
                                       cast(table.c.data, String).contains(report_id, autoescape=True))
    with store.engine.connect() as connection:
        return [data for (data,) in connection.execute(query)
                if any(m.get("report") == report_id for m in data.get("mentions") or [])]

