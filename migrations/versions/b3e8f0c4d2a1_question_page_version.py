"""question page version for the anonymous page cache

Revision ID: b3e8f0c4d2a1
Revises: 9c1d7e5a2b30
Create Date: 2026-11-22 17:30:00.000000

`questions.version` goes up in the transaction of every change a thread's page shows;
support/pagecache.py serves a kept page of the thread while it has not moved. Adding a
column with a constant default rewrites no row on either database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e8f0c4d2a1'
down_revision = '9c1d7e5a2b30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+): copying the table with foreign keys on would
    # cascade into the tables that point at questions.
    op.execute("ALTER TABLE questions DROP COLUMN version")
