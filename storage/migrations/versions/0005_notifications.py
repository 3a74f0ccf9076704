"""notifications: deliveries resolved at send time, digests, a person's preference

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recipient_email', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('digest_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key('fk_outbox_parent', 'outbox', ['parent_id'], ['id'])
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify', sa.String(), server_default='immediate', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('notify')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint('fk_outbox_parent', type_='foreignkey')
        batch_op.drop_column('digest_on')
        batch_op.drop_column('recipient_email')
        batch_op.drop_column('parent_id')
