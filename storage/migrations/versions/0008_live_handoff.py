"""live handoff to an official: routing, waiting time, the thread and its audit trail

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoff_requests') as batch:
        batch.add_column(sa.Column('agency_id', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('assigned_to', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('closed_by', sa.String(length=64), nullable=True))
        batch.create_index('ix_handoffs_status_agency', ['status', 'agency_id'], unique=False)
    op.create_table('handoff_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoff_requests.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_handoff_messages_handoff_id'), 'handoff_messages', ['handoff_id'], unique=False)
    # requests of the previous version were never shown to anyone: close them
    op.execute("UPDATE handoff_requests SET status = 'closed' WHERE status <> 'closed'")


def downgrade() -> None:
    op.drop_index(op.f('ix_handoff_messages_handoff_id'), table_name='handoff_messages')
    op.drop_table('handoff_messages')
    with op.batch_alter_table('handoff_requests') as batch:
        batch.drop_index('ix_handoffs_status_agency')
        for column in ('closed_by', 'closed_at', 'last_activity_at', 'waiting_since', 'assigned_to', 'agency_id'):
            batch.drop_column(column)
