"""The store's tables (SQLAlchemy Core). Alembic migrations in migrations/ create and evolve them."""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Column, DateTime, Index, Integer, LargeBinary, MetaData, SmallInteger,
                        String, Table, Text)

metadata = MetaData()

reports = Table(
    "reports", metadata,
    Column("id", String(32), primary_key=True),
    Column("file", Text),
    Column("source", Text),
    Column("format", String(16)),
    Column("raw_text", Text),
    Column("body", Text, nullable=False),
    Column("title", Text),
    Column("outlet", Text),
    Column("authors", JSON),
    Column("contributors", JSON),
    Column("dateline", Text),
    Column("published", String(10), index=True),
    Column("language", String(8)),
    Column("copy_of", String(32), index=True),
    Column("overlaps", JSON),
    Column("story", String(32), index=True),
    Column("notes", JSON),
    Column("offset_map", JSON),
    Column("sources", JSON),
    Column("ingested_at", DateTime(timezone=True)),
)

# The one parse per report, cached so re-running extractors never re-parses.
parses = Table(
    "parses", metadata,
    Column("report_id", String(32), primary_key=True),
    Column("nlp", String(128), primary_key=True),
    Column("doc", LargeBinary, nullable=False),
)

# What the extractors found in each report (an Extraction as JSON).
extractions = Table(
    "extractions", metadata,
    Column("report_id", String(32), primary_key=True),
    Column("data", JSON, nullable=False),
)

# Corpus-level records (actors, quotes, events, figures, positions, proposals ...), rebuilt after ingest.
records = Table(
    "records", metadata,
    Column("kind", String(16), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("report_id", String(32)),
    Column("side", Text),
    Column("actor", Text),
    Column("issue", Text),
    Column("date", String(10)),
    Column("text", Text),
    Column("data", JSON, nullable=False),
    Index("ix_records_kind_seq", "kind", "seq"),
    Index("ix_records_kind_report", "kind", "report_id"),
    Index("ix_records_kind_side", "kind", "side"),
    Index("ix_records_kind_issue", "kind", "issue"),
    Index("ix_records_kind_date", "kind", "date"),
)

# Named blobs: the profile, the copy index, anything a stage keeps between runs.
blobs = Table(
    "blobs", metadata,
    Column("namespace", String(64), primary_key=True),
    Column("key", String(256), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

# The copy index's signatures: one row per indexed report, by its position in the index. Rows are
# written once; the links between reports (which change) are the blob dedup/state.
copy_signatures = Table(
    "copy_signatures", metadata,
    Column("pos", Integer, primary_key=True, autoincrement=False),
    Column("report_id", String(32), nullable=False, unique=True),
    Column("day", Integer, nullable=False),
    Column("clean", Integer, nullable=False),
    Column("junk", Integer, nullable=False),
    Column("shingles", LargeBinary, nullable=False),
    Column("terms", LargeBinary, nullable=False),
)

# The copy index's posting lists: (kind, key) -> positions. Kinds: shingle-MinHash bands, anchors,
# topic-MinHash bands (`dealtrace.dedup.backing`).
copy_postings = Table(
    "copy_postings", metadata,
    Column("kind", SmallInteger, primary_key=True, autoincrement=False),
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("pos", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

# How many reports hold each posting key: a lookup reads the postings of keys held by 2..max_df
# reports only, without counting a stock phrase's ever longer list each time.
copy_keys = Table(
    "copy_keys", metadata,
    Column("kind", SmallInteger, primary_key=True, autoincrement=False),
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("df", Integer, nullable=False),
    sqlite_with_rowid=False,
)
