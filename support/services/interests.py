"""What a member cares about: the tags they follow, and the tags the app learns from what they do.

Reading a thread counts 1, answering 2, asking 3. Learned weights order the member's
home page and show on the staff view of their escalations.
"""

from sqlalchemy import select

from .. import events
from ..database import transactional
from ..extensions import db
from ..models import Question, Tag, TagInterest
from ..models.base import utcnow

WEIGHTS = {"reads": 1.0, "answers": 2.0, "asks": 3.0}


def _upsert(user_id, tag_ids, column):
    """Add one `column` event for each tag, on either database, without a read first."""
    if not tag_ids:
        return
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    now = utcnow()
    weight = WEIGHTS[column]
    rows = [{"user_id": user_id, "tag_id": tag_id, "weight": weight, column: 1, "updated_at": now,
             **{c: 0 for c in WEIGHTS if c != column}} for tag_id in tag_ids]
    stmt = insert(TagInterest).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "tag_id"],
        set_={"weight": TagInterest.weight + weight, column: getattr(TagInterest, column) + 1, "updated_at": now},
    )
    db.session.execute(stmt)


def _tag_ids(question):
    return sorted({t.id for t in question.tags})


def _on_asked(_sender, question, actor, **_):
    _upsert(actor.id, _tag_ids(question), "asks")


def _on_answered(_sender, answer, question, actor, **_):
    _upsert(actor.id, _tag_ids(question), "answers")


@transactional
def record_read(user, question_id) -> bool:
    """A member read a thread (confirmed by the page's beacon): learn its tags."""
    question = db.session.get(Question, question_id) if isinstance(question_id, int) else None
    if question is None or question.deleted_at is not None:
        return False
    _upsert(user.id, _tag_ids(question), "reads")
    return True


def learned_tags(user_id, limit=5, exclude=()) -> list[tuple[str, float]]:
    stmt = (select(Tag.name, TagInterest.weight).join(Tag, Tag.id == TagInterest.tag_id)
            .where(TagInterest.user_id == user_id).order_by(TagInterest.weight.desc(), Tag.name).limit(limit + len(exclude)))
    return [(name, weight) for name, weight in db.session.execute(stmt).all() if name not in exclude][:limit]


def connect():
    events.question_asked.connect(_on_asked)
    events.answer_posted.connect(_on_answered)
