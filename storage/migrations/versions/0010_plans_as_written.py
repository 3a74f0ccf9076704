"""plans as written: a recommendation's scope, the plan's notes, completion reported in the plan, remembered
column mappings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('header_key', sa.String(), nullable=False),
    sa.Column('header', sa.String(), nullable=False),
    sa.Column('field', sa.String(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('partnership_id', 'header_key')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='[]', nullable=False))
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(), server_default='', nullable=False))
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_complete', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('reported_complete_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('reported_complete_on')
        batch_op.drop_column('reported_complete')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('scope')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('notes')
    op.drop_table('import_mapping')
