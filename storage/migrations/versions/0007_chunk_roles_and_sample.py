"""knowledge: chunk roles (the record vs. the ways people ask for it), sample documents

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('chunks') as batch:
        batch.add_column(sa.Column('role', sa.String(length=16), nullable=False, server_default='body'))
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('is_sample', sa.Boolean(), nullable=False, server_default=sa.false()))
    # documents ingested from the bundled sample before this column existed
    op.execute("UPDATE documents SET is_sample = true WHERE source_path LIKE '%knowledge/sample/%'")


def downgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.drop_column('is_sample')
    with op.batch_alter_table('chunks') as batch:
        batch.drop_column('role')
