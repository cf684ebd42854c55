"""tag question counts; the accepted-answer index only over solved questions

Revision ID: 9c1d7e5a2b30
Revises: 4897b04884c1
Create Date: 2026-11-22 16:50:00.000000

The sidebar's popular tags read `tags.question_count` instead of counting question_tags
on every page view. The backfill is one UPDATE (one indexed count per tag), quick on a
full-size community. The index on questions.accepted_answer_id becomes partial (solved
questions only) so the lists' open/answered filters scan their sort index instead, and
a partial index holds the few escalated questions. The activity and score sort indexes
cover only visible questions (and end with the id, the lists' tie-break), so a deep page's
OFFSET walk never reads the table. A member's answers are indexed by author and date
with the columns the profile counts, so a prolific member's profile reads no answer rows
but the ten it shows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c1d7e5a2b30'
down_revision = '4897b04884c1'
branch_labels = None
depends_on = None

SOLVED = sa.text("accepted_answer_id IS NOT NULL")
VISIBLE = {"sqlite_where": sa.text("deleted_at IS NULL"), "postgresql_where": sa.text("deleted_at IS NULL")}
SORTS = (("ix_questions_activity", "last_activity_at"), ("ix_questions_score", "score"))
ESCALATED = {"sqlite_where": sa.text("is_escalated = 1"), "postgresql_where": sa.text("is_escalated")}


def upgrade():
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_tags_question_count', ['question_count'], unique=False)
    op.execute(
        "UPDATE tags SET question_count = (SELECT count(*) FROM question_tags qt "
        "JOIN questions q ON q.id = qt.question_id WHERE qt.tag_id = tags.id AND q.deleted_at IS NULL)"
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_accepted_answer_id')
        batch_op.create_index('ix_questions_accepted_answer_id', ['accepted_answer_id'], unique=False,
                              sqlite_where=SOLVED, postgresql_where=SOLVED)
        batch_op.create_index('ix_questions_escalated', ['is_escalated'], unique=False, **ESCALATED)
        for name, column in SORTS:
            batch_op.drop_index(name)
            batch_op.create_index(name, [column, 'id'], unique=False, **VISIBLE)
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_author_id')
        batch_op.create_index('ix_answers_author_recent', ['author_id', 'created_at', 'deleted_at', 'accepted_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_author_recent')
        batch_op.create_index('ix_answers_author_id', ['author_id'], unique=False)
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_escalated')
        for name, column in SORTS:
            batch_op.drop_index(name)
            batch_op.create_index(name, [column], unique=False)
        batch_op.drop_index('ix_questions_accepted_answer_id')
        batch_op.create_index('ix_questions_accepted_answer_id', ['accepted_answer_id'], unique=False)
    op.drop_index('ix_tags_question_count', table_name='tags')
    # A plain DROP COLUMN, not a batch copy of the table: on SQLite, dropping the old
    # tags table with foreign keys on would cascade into question_tags.
    op.drop_column('tags', 'question_count')
