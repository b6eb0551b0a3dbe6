"""The store: the only side effect. SQLite by default, any SQLAlchemy URL (PostgreSQL) for teams.

Every write is keyed by content hashes, so re-ingesting the same report, retrying a task or
re-running after a crash never duplicates anything. One transaction per report.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import zlib
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import bindparam, create_engine, delete, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import Errors, StoreError
from ..model import Extraction, Report, Source, from_dict, to_dict
from . import schema

if TYPE_CHECKING:
    from ..dedup.index import LinkChange

__all__ = ["Store", "store_url"]

log = logging.getLogger(__name__)
_REPORT_COLUMNS = [f.name for f in fields(Report)]
# Built once: ingest asks for every report it reads, and building and keying a new SELECT cost
# twice what running it did.
_HAS_REPORT = select(schema.reports.c.id).where(schema.reports.c.id == bindparam("report_id"))
_TEXT_COLUMNS = ("raw_text", "body", "offset_map")


def store_url(db: str | Path) -> str:
    """A SQLAlchemy URL from a path or URL (`--db dealtrace.db` or `--db postgresql://...`)."""
    text = str(db)
    if "://" in text:
        return text.replace("postgresql://", "postgresql+psycopg://", 1) if text.startswith("postgresql://") else text
    return f"sqlite:///{Path(text).expanduser()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; survives SIGKILL
    cursor.execute("PRAGMA busy_timeout=60000")  # two ingest processes wait for each other
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class JSONText(str):
    """A record's JSON already written, stored as it is: the actor merge has SQLite write the list
    of an actor's mentions (26k of them for the most mentioned of 100k reports) instead of
    decoding them into dicts to encode them again."""


def _json_dumps(value: Any) -> str:
    return value if isinstance(value, JSONText) else json.dumps(value)


class Store:
    def __init__(self, db: str | Path, migrate: bool = True) -> None:
        self.url = store_url(db)
        try:
            self.engine: Engine = create_engine(self.url, future=True, json_serializer=_json_dumps)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            if migrate:
                self.migrate()
        except (SQLAlchemyError, OSError) as e:
            raise StoreError(Errors.E030.format(db=db, detail=str(e).splitlines()[0])) from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic), whatever version the store was at."""
        config = Config(str(Path(__file__).with_name("alembic.ini")))
        config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                # Two processes opening a new store at once must not both create the tables.
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7254001)")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextlib.contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Hold a named lock shared by every process that opens this store (released if the holder dies).

        Concurrent ingests take it around the short read-modify-write of corpus-wide state (the copy
        index, the merged records); parsing and extraction run outside it.
        """
        key = zlib.crc32(name.encode("utf-8"))
        if self.dialect == "postgresql":
            with self.engine.connect() as connection:
                connection.exec_driver_sql(f"SELECT pg_advisory_lock({key})")
                connection.commit()
                try:
                    yield
                finally:
                    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
                    connection.commit()
            return
        database = self.engine.url.database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            yield  # one process only
            return
        import fcntl  # POSIX; the kernel drops the lock when the process exits, even on SIGKILL

        with open(f"{database}.{name}.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _insert_ignore(self, table):
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        return dialect.insert(table)

    # -- reports ---------------------------------------------------------------------------
    def has_report(self, report_id: str) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(_HAS_REPORT, {"report_id": report_id}).first() is not None

    def add_report(self, report: Report, extraction: Extraction | None = None, doc: bytes | None = None,
                   nlp: str | None = None) -> bool:
        """Store a report with its parse and extraction in one transaction; False when already there.

        The same body arriving from another file or outlet adds a source to the stored report.
        """
        row = _report_row(report)
        with self.engine.begin() as connection:
            # RETURNING, not rowcount: drivers disagree on rowcount for INSERT ... ON CONFLICT DO NOTHING.
            inserted = connection.execute(self._inserts["reports"], row).first() is not None
            if not inserted:
                stored = connection.execute(select(schema.reports.c.sources).where(schema.reports.c.id == report.id)).scalar()
                sources = [from_dict(Source, s) for s in stored or []]
                new = [s for s in report.sources if all((s.file, s.outlet) != (o.file, o.outlet) for o in sources)]
                if new:
                    connection.execute(update(schema.reports).where(schema.reports.c.id == report.id)
                                       .values(sources=[to_dict(s) for s in sources + new]))
                return False
            if doc is not None and nlp:
                connection.execute(self._inserts["parses"], {"report_id": report.id, "nlp": nlp, "doc": doc})
            if extraction is not None:
                connection.execute(self._inserts["extractions"], {"report_id": report.id, "data": to_dict(extraction)})
        return True

    @functools.cached_property
    def _inserts(self) -> dict[str, Any]:
        """The INSERT ... ON CONFLICT DO NOTHING of each per-report table, built once.

        Executed with a row of parameters, not rebuilt with `.values(...)` per report (building
        and keying a new statement cost more than running it).
        """
        return {
            "reports": self._insert_ignore(schema.reports).on_conflict_do_nothing(index_elements=["id"])
            .returning(schema.reports.c.id),
            "parses": self._insert_ignore(schema.parses).on_conflict_do_nothing(index_elements=["report_id", "nlp"]),
            "extractions": self._insert_ignore(schema.extractions).on_conflict_do_nothing(index_elements=["report_id"]),
        }

    def update_links(self, reports: Iterable[Report | LinkChange]) -> None:
        """Write copy_of / overlaps / story of reports whose links changed."""
        with self.engine.begin() as connection:
            for report in reports:
                connection.execute(update(schema.reports).where(schema.reports.c.id == report.id)
                                   .values(copy_of=report.copy_of, overlaps=report.overlaps, story=report.story))

    def reports(self, ids: Iterable[str] | None = None) -> Iterator[Report]:
        query = select(schema.reports).order_by(schema.reports.c.published, schema.reports.c.file, schema.reports.c.id)
        if ids is not None:
            query = query.where(schema.reports.c.id.in_(list(ids)))
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=500).execute(query).mappings():
                yield _report_from_row(row)

    def report_metadata(self) -> Iterator[Report]:
        """Every report as `reports` yields it, without its texts (raw text, body, offset map).

        What the corpus merge reads of reports: ids, copy links, sources and bylines. The texts are
        most of a report's size, and the merge holds every report at once.
        """
        columns = [schema.reports.c[name] for name in _REPORT_COLUMNS if name not in _TEXT_COLUMNS]
        query = select(*columns).order_by(schema.reports.c.published, schema.reports.c.file, schema.reports.c.id)
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=500).execute(query).mappings():
                yield _report_from_row({**row, "raw_text": "", "body": "", "offset_map": None})

    def bodies(self, ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(id, body) of the stored reports among `ids`, read a few hundred at a time."""
        wanted = sorted(set(ids))
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                query = select(schema.reports.c.id, schema.reports.c.body).where(
                    schema.reports.c.id.in_(wanted[start:start + 500]))
                yield from connection.execute(query)

    def count_reports(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(schema.reports)).scalar_one()

    # -- parses and extractions --------------------------------------------------------------
    def parse(self, report_id: str, nlp: str) -> bytes | None:
        with self.engine.connect() as connection:
            return connection.execute(select(schema.parses.c.doc).where(
                (schema.parses.c.report_id == report_id) & (schema.parses.c.nlp == nlp))).scalar()

    def put_extraction(self, extraction: Extraction) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(schema.extractions).where(schema.extractions.c.report_id == extraction.report))
            connection.execute(schema.extractions.insert().values(report_id=extraction.report, data=to_dict(extraction)))

    def extractions(self) -> Iterator[Extraction]:
        with self.engine.connect() as connection:
            query = select(schema.extractions.c.data).order_by(schema.extractions.c.report_id)
            for (data,) in connection.execution_options(yield_per=500).execute(query):
                yield from_dict(Extraction, data)

    def extraction_parts(self, *names: str, ids: Iterable[str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """(report id, {name: that list of its extraction}) for every extraction (or those of `ids`), in
        report-id order.

        Only the named parts are read and decoded (a JSON path in the query), so a merge stage that
        needs the quotes never builds the actors. A part an older extraction lacks is left out.
        """
        data = schema.extractions.c.data
        query = select(schema.extractions.c.report_id, *(data[name] for name in names)).order_by(
            schema.extractions.c.report_id)
        if ids is not None:
            query = query.where(schema.extractions.c.report_id.in_(list(ids)))
        with self.engine.connect() as connection:
            for report_id, *parts in connection.execution_options(yield_per=100).execute(query):
                yield report_id, {name: part for name, part in zip(names, parts) if part is not None}

    # -- corpus-level records ------------------------------------------------------------------
    def replace_records(self, kind: str, rows: list[dict[str, Any]]) -> None:
        """Swap all records of one kind in one transaction (readers see the old or the new set)."""
        with self.engine.begin() as connection:
            connection.execute(delete(schema.records).where(schema.records.c.kind == kind))
            for start in range(0, len(rows), 1000):
                chunk = [{"kind": kind, "seq": start + i, **row} for i, row in enumerate(rows[start:start + 1000])]
                if chunk:
                    connection.execute(schema.records.insert(), chunk)

    def stream_records(self, kind: str, rows: Iterable[dict[str, Any]], chunk_rows: int = 1000) -> int:
        """`replace_records` for rows made one at a time, `chunk_rows` of them held at most. The count written."""
        count = 0
        with self.engine.begin() as connection:
            connection.execute(delete(schema.records).where(schema.records.c.kind == kind))
            chunk: list[dict[str, Any]] = []
            for row in rows:
                chunk.append({"kind": kind, "seq": count, **row})
                count += 1
                del row  # a written row is let go before the next is made (an actor's may be megabytes)
                if len(chunk) >= chunk_rows:
                    connection.execute(schema.records.insert(), chunk)
                    chunk = []
            if chunk:
                connection.execute(schema.records.insert(), chunk)
        return count

    def records(self, kind: str, limit: int | None = None, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
        """Records of a kind, in stored order; filters on report_id, side, actor, issue, text, date_from, date_to."""
        table = schema.records
        query = select(table.c.data).where(table.c.kind == kind)
        for name in ("report_id", "side", "actor", "issue"):
            if filters.get(name):
                query = query.where(table.c[name] == filters[name])
        if filters.get("text"):
            query = query.where(table.c.text.ilike(f"%{filters['text']}%"))
        if filters.get("date_from"):
            query = query.where(table.c.date >= filters["date_from"])
        if filters.get("date_to"):
            query = query.where(table.c.date <= filters["date_to"])
        query = query.order_by(table.c.seq).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [row[0] for row in connection.execute(query)]

    def count_records(self, kind: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(schema.records)
                                      .where(schema.records.c.kind == kind)).scalar_one()

    # -- blobs -----------------------------------------------------------------------------------
    def get_blob(self, namespace: str, key: str) -> bytes | None:
        with self.engine.connect() as connection:
            return connection.execute(select(schema.blobs.c.value).where(
                (schema.blobs.c.namespace == namespace) & (schema.blobs.c.key == key))).scalar()

    def put_blob(self, namespace: str, key: str, value: bytes) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(schema.blobs).where(
                (schema.blobs.c.namespace == namespace) & (schema.blobs.c.key == key)))
            connection.execute(schema.blobs.insert().values(namespace=namespace, key=key, value=value))

    def delete_blob(self, namespace: str, key: str, value: bytes | None = None) -> None:
        """Drop a blob; with `value`, only while it still holds that value (a compare-and-delete)."""
        condition = (schema.blobs.c.namespace == namespace) & (schema.blobs.c.key == key)
        if value is not None:
            condition &= schema.blobs.c.value == value
        with self.engine.begin() as connection:
            connection.execute(delete(schema.blobs).where(condition))

    def iter_blobs(self, namespace: str) -> Iterator[tuple[str, bytes]]:
        with self.engine.connect() as connection:
            query = select(schema.blobs.c.key, schema.blobs.c.value).where(schema.blobs.c.namespace == namespace)
            yield from connection.execute(query)


def _report_row(report: Report) -> dict[str, Any]:
    row = {name: getattr(report, name) for name in _REPORT_COLUMNS}
    row["offset_map"] = [list(run) for run in report.offset_map]
    row["sources"] = [to_dict(s) for s in report.sources]
    row["ingested_at"] = datetime.now(timezone.utc)
    return row


def _report_from_row(row: Any) -> Report:
    data = {name: row[name] for name in _REPORT_COLUMNS}
    data["offset_map"] = [tuple(run) for run in data["offset_map"] or []]
    for name in ("authors", "contributors", "overlaps", "notes"):
        data[name] = data[name] or []
    data["sources"] = [from_dict(Source, s) for s in data["sources"] or []]
    return Report(**data)
