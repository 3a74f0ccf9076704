"""an index from a recommendation to its actions: the recommendations list and the national export read a
recommendation's actions by it, not the whole action table

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE INDEX, not a batch: on SQLite a batch copies the table, and nothing here needs one.
    op.create_index('ix_action_recommendation', 'action', ['recommendation_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_action_recommendation', table_name='action')
