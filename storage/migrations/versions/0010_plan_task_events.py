"""plan task events: the audit trail of officials marking plan tasks done or reopening them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_task_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('plan', sa.Text(), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['plan_tasks.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_task_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_task_events_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_task_events_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_task_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_task_events_document_id'))
        batch_op.drop_index(batch_op.f('ix_plan_task_events_task_id'))
    op.drop_table('plan_task_events')
