"""overdue milestones on the ladder: a ledger row may be about a review rather than an action, and a review has
a timer for its own ladder

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REVIEW_ROWS = sa.text("action_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.alter_column('action_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('review_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_escalation_review', 'review', ['review_id'], ['id'])
    # A step of a review's own ladder fires once per review and anchor, as an action's does per action.
    op.create_index(
        'ux_escalation_review_step', 'escalation', ['review_id', 'ladder', 'step', 'anchor_date'], unique=True,
        sqlite_where=_REVIEW_ROWS, postgresql_where=_REVIEW_ROWS,
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_step_due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_next_step_due_on'), ['next_step_due_on'], unique=False)
    # Reviews already imported: the first sweep looks at each not yet signed off, and starts its ladder.
    op.execute(
        "UPDATE review SET next_step_due_on = imported_on WHERE imported_on IS NOT NULL AND status <> 'signed_off'"
    )


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_next_step_due_on'))
        batch_op.drop_column('next_step_due_on')
    op.drop_index('ux_escalation_review_step', table_name='escalation')
    # The steps of reviews' ladders have nowhere to go in a ledger of actions: their decisions stay in the log.
    op.execute("DELETE FROM escalation WHERE action_id IS NULL")
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_escalation_review', type_='foreignkey')
        batch_op.drop_column('review_id')
        batch_op.alter_column('action_id', existing_type=sa.Integer(), nullable=False)
