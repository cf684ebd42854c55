"""Read queries shared by the pages and the API."""

from sqlalchemy import and_, false, func, select

from .extensions import db
from .models import Answer, Comment, Question, Tag, Vote, question_tags

STATUSES = ("open", "answered", "solved", "escalated")
SORTS = ("newest", "active", "votes", "unanswered")


def question_list(status=None, tag=None, sort="active", *, for_count=False):
    """Return the select for a list of visible questions with filters and a sort order.

    `for_count` shapes the tag filter for counting rather than for reading one sorted page.
    """
    stmt = select(Question).where(Question.deleted_at.is_(None))
    if status == "open":
        stmt = stmt.where(Question.answer_count == 0, Question.accepted_answer_id.is_(None), Question.is_escalated.is_(False))
    elif status == "answered":
        stmt = stmt.where(Question.answer_count > 0, Question.accepted_answer_id.is_(None), Question.is_escalated.is_(False))
    elif status == "solved":
        stmt = stmt.where(Question.accepted_answer_id.is_not(None), Question.is_escalated.is_(False))
    elif status == "escalated":
        # "= true", not "IS true": the form the partial index ix_questions_escalated is defined by.
        stmt = stmt.where(Question.is_escalated == True)
    if tag:
        stmt = _tagged(stmt, tag, walk=not for_count)
    if sort == "unanswered":
        stmt = stmt.where(Question.answer_count == 0).order_by(Question.created_at.desc(), Question.id.desc())
    elif sort == "newest":
        stmt = stmt.order_by(Question.created_at.desc(), Question.id.desc())
    elif sort == "votes":
        stmt = stmt.order_by(Question.score.desc(), Question.id.desc())
    else:
        stmt = stmt.order_by(Question.last_activity_at.desc(), Question.id.desc())
    return stmt


# A tag with more questions than this is filtered row by row along the sort's index; a
# smaller one is read whole through question_tags and sorted.
BIG_TAG = 1000


def _tagged(stmt, name: str, walk: bool = True):
    """Keep the questions with this tag, shaped for the tag's size so either way reads few rows.

    For a popular tag, walking the sort order and probing question_tags finds a page of it
    within a few hundred rows; for a rare one that walk would cross the whole table, while
    its own few questions sort in no time. The cached count tells which is which. Counting
    (`walk=False`) always starts from the tag's own rows in question_tags, and stops at the
    count's limit (a join streams; "IN (subquery)" would first read every row of the tag).
    """
    found = db.session.execute(select(Tag.id, Tag.question_count).where(Tag.name == name)).first()
    if found is None:
        return stmt.where(false())
    tag_id, count = found
    if walk and count > BIG_TAG:
        return stmt.where(
            select(question_tags.c.question_id)
            .where(question_tags.c.question_id == Question.id, question_tags.c.tag_id == tag_id)
            .exists()
        )
    # (question_id, tag_id) is the key of question_tags: the join repeats no question.
    return stmt.join(question_tags, and_(question_tags.c.question_id == Question.id, question_tags.c.tag_id == tag_id))


def answers_for(question: Question) -> list[Answer]:
    """Return a question's visible answers: accepted first, then by score, then oldest."""
    return db.session.scalars(
        select(Answer)
        .where(Answer.question_id == question.id, Answer.deleted_at.is_(None))
        .order_by(Answer.accepted_at.is_(None), Answer.score.desc(), Answer.created_at, Answer.id)
    ).all()


def comments_for(question: Question, answers: list[Answer]) -> dict:
    """Return the visible comments of a thread keyed by ("question"|"answer", id)."""
    answer_ids = [a.id for a in answers]
    cond = Comment.question_id == question.id
    if answer_ids:
        cond = cond | Comment.answer_id.in_(answer_ids)
    grouped: dict = {}
    for c in db.session.scalars(select(Comment).where(cond, Comment.deleted_at.is_(None)).order_by(Comment.created_at, Comment.id)):
        key = ("question", c.question_id) if c.question_id else ("answer", c.answer_id)
        grouped.setdefault(key, []).append(c)
    return grouped


def my_votes(user, question: Question, answers: list[Answer]) -> dict:
    """Return the viewer's votes in a thread keyed by ("question"|"answer", id)."""
    if not user or not user.is_authenticated:
        return {}
    answer_ids = [a.id for a in answers]
    cond = Vote.question_id == question.id
    if answer_ids:
        cond = cond | Vote.answer_id.in_(answer_ids)
    votes = db.session.scalars(select(Vote).where(and_(Vote.voter_id == user.id, cond)))
    return {(("question", v.question_id) if v.question_id else ("answer", v.answer_id)): v.value for v in votes}


def popular_tags(limit=30):
    """Return (tag name, question count) pairs, most used first, from the tags' cached counts."""
    return db.session.execute(
        select(Tag.name, Tag.question_count).where(Tag.question_count > 0)
        .order_by(Tag.question_count.desc(), Tag.name).limit(limit)
    ).all()


def user_stats(user_id: int) -> dict:
    """Return how many questions, answers and accepted answers a member wrote."""
    questions = db.session.scalar(
        select(func.count()).where(Question.author_id == user_id, Question.deleted_at.is_(None))
    )
    answers, accepted = db.session.execute(
        select(func.count(), func.count(Answer.accepted_at)).where(
            Answer.author_id == user_id, Answer.deleted_at.is_(None)
        )
    ).one()
    return {"questions": questions, "answers": answers, "accepted_answers": accepted}
