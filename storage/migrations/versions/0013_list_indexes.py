"""indexes for lists that cost what a page shows: a partnership's actions by review and state (and target
date), a lead officer's actions, the escalations still to acknowledge

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE INDEX, not a batch: on SQLite a batch copies the table, and nothing here needs one.
    op.create_index('ix_action_review_state', 'action', ['review_id', 'state', 'target_date'], unique=False)
    op.create_index('ix_action_lead_officer_state', 'action', ['lead_officer_id', 'state'], unique=False)
    op.create_index('ix_escalation_waiting', 'escalation', ['partnership_id', 'acknowledged_by', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_escalation_waiting', table_name='escalation')
    op.drop_index('ix_action_lead_officer_state', table_name='action')
    op.drop_index('ix_action_review_state', table_name='action')
