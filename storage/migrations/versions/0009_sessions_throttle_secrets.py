"""revocable dashboard sessions, atomic login throttle, secrets shared by all instances, a
partial index over chunks without embeddings (instances follow the index version)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table('login_throttle',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('site_secrets',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_index('ix_chunks_unembedded', 'chunks', ['id'], unique=False,
                    sqlite_where=sa.text('embedding IS NULL'), postgresql_where=sa.text('embedding IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_chunks_unembedded', table_name='chunks')
    op.drop_table('site_secrets')
    op.drop_table('login_throttle')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_version')
