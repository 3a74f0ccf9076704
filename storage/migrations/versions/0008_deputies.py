"""deputies act in a person's stead for a period; who verified, and for whom, is kept for segregation of duties

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('deputy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('principal_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('named_by', sa.Integer(), nullable=False),
    sa.Column('named_at', UTCDateTime(), nullable=False),
    sa.Column('ended_by', sa.Integer(), nullable=True),
    sa.Column('ended_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ),
    sa.ForeignKeyConstraint(['principal_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['deputy_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['named_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['ended_by'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('deputy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deputy_principal_id'), ['principal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deputy_deputy_id'), ['deputy_id'], unique=False)
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_for', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_for', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_action_submitted_for', 'person', ['submitted_for'], ['id'])
        batch_op.create_foreign_key('fk_action_verified_by', 'person', ['verified_by'], ['id'])
        batch_op.create_foreign_key('fk_action_verified_for', 'person', ['verified_for'], ['id'])
    with op.batch_alter_table('extension', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_for', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_extension_requested_for', 'person', ['requested_for'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('extension', schema=None) as batch_op:
        batch_op.drop_constraint('fk_extension_requested_for', type_='foreignkey')
        batch_op.drop_column('requested_for')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_constraint('fk_action_verified_for', type_='foreignkey')
        batch_op.drop_constraint('fk_action_verified_by', type_='foreignkey')
        batch_op.drop_constraint('fk_action_submitted_for', type_='foreignkey')
        batch_op.drop_column('verified_for')
        batch_op.drop_column('verified_by')
        batch_op.drop_column('submitted_for')
    with op.batch_alter_table('deputy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deputy_deputy_id'))
        batch_op.drop_index(batch_op.f('ix_deputy_principal_id'))
    op.drop_table('deputy')
