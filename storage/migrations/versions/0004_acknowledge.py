"""escalations are acknowledged

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', UTCDateTime(), nullable=True))
        batch_op.create_foreign_key('fk_escalation_acknowledged_by', 'person', ['acknowledged_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('escalation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_escalation_acknowledged_by', type_='foreignkey')
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('acknowledged_by')
