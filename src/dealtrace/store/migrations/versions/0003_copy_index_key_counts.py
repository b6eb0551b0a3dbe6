"""The copy index's key counts: how many reports hold each posting key, kept as postings are added.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copy_keys",
        sa.Column("kind", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("df", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.execute('INSERT INTO copy_keys (kind, "key", df) SELECT kind, "key", count(*) FROM copy_postings '
               'GROUP BY kind, "key"')


def downgrade() -> None:
    op.drop_table("copy_keys")
