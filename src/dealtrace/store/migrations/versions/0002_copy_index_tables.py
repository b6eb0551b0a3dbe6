"""The copy index in tables: signatures and postings, instead of blobs held whole in memory.

The old blob format (segments of every signature, loaded whole by each ingest) is dropped;
the next ingest rebuilds the index from the stored reports, with the same links.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copy_signatures",
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("report_id", sa.String(32), nullable=False, unique=True),
        sa.Column("day", sa.Integer, nullable=False), sa.Column("clean", sa.Integer, nullable=False),
        sa.Column("junk", sa.Integer, nullable=False), sa.Column("shingles", sa.LargeBinary, nullable=False),
        sa.Column("terms", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "copy_postings",
        sa.Column("kind", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=False),
        sqlite_with_rowid=False,
    )
    op.execute("DELETE FROM blobs WHERE namespace = 'dedup-segments' OR (namespace = 'dedup' AND key = 'state')")


def downgrade() -> None:
    op.drop_table("copy_postings")
    op.drop_table("copy_signatures")
