"""the review as a whole: its kind (with the kind's vocabulary as data), its milestones, targets counted from
publication, recommendations' addressee and acceptance, impact checks after assurance

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HOME_OFFICE = "the Home Office quality-assurance panel"
KINDS = [
    {
        "key": "dardr",
        "name": "Domestic Abuse Related Death Review",
        "abbreviation": "DARDR",
        "quality_assurer": _HOME_OFFICE,
        "aliases": ["Domestic Abuse Related Death Review", "DARDR", "Domestic Homicide Review", "DHR"],
        "vocabulary": {"submitted_to": "the Home Office", "former_name": "Domestic Homicide Review (until 2024)"},
    },
    {
        "key": "sar",
        "name": "Safeguarding Adults Review",
        "abbreviation": "SAR",
        "quality_assurer": "the Safeguarding Adults Board",
        "aliases": ["Safeguarding Adults Review", "Safeguarding Adult Review", "SAR"],
        "vocabulary": {"submitted_to": "the Safeguarding Adults Board"},
    },
    {
        "key": "cspr",
        "name": "Child Safeguarding Practice Review",
        "abbreviation": "CSPR",
        "quality_assurer": "the Child Safeguarding Practice Review Panel",
        "aliases": [
            "Child Safeguarding Practice Review", "Local Child Safeguarding Practice Review", "LCSPR", "CSPR",
            "Serious Case Review",
        ],
        "vocabulary": {"submitted_to": "the Child Safeguarding Practice Review Panel"},
    },
]


def upgrade() -> None:
    kind = op.create_table('review_kind',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('abbreviation', sa.String(), nullable=False),
    sa.Column('quality_assurer', sa.String(), nullable=False),
    sa.Column('aliases', sa.Text(), server_default='[]', nullable=False),
    sa.Column('vocabulary', sa.Text(), server_default='{}', nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.bulk_insert(kind, [
        {**k, "aliases": json.dumps(k["aliases"]), "vocabulary": json.dumps(k["vocabulary"])} for k in KINDS
    ])
    op.create_table('review_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('milestone', sa.String(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('detail', sa.Text(), server_default='{}', nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', UTCDateTime(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('review_id', 'milestone')
    )
    op.create_table('impact_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(), server_default='', nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('action_id')
    )
    op.create_index(op.f('ix_impact_check_due_on'), 'impact_check', ['due_on'], unique=False)
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('impact_check_months', sa.Integer(), server_default='6', nullable=False))
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(), server_default='dardr', nullable=False))
        batch_op.add_column(sa.Column('imported_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key('fk_review_kind', 'review_kind', ['kind'], ['key'])
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('addressee', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('not_accepted_reason', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_after_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_after_event', sa.String(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('target_after_event')
        batch_op.drop_column('target_after_months')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('not_accepted_reason')
        batch_op.drop_column('addressee')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint('fk_review_kind', type_='foreignkey')
        batch_op.drop_column('imported_on')
        batch_op.drop_column('kind')
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_column('impact_check_months')
    op.drop_index(op.f('ix_impact_check_due_on'), table_name='impact_check')
    op.drop_table('impact_check')
    op.drop_table('review_milestone')
    op.drop_table('review_kind')
