"""a seal on each decision under a key kept outside the database (DHRFLOW_LOG_KEY)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and the copy would lose the
    # triggers that keep the decision log append-only.
    op.add_column('decision', sa.Column('seal', sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column('decision', 'seal')
