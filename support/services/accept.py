"""Accepting the answer that solved a question: one domain operation."""

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from .. import events
from ..database import transactional
from ..errors import Conflict
from ..extensions import db
from ..models import Answer, Question
from ..models.base import utcnow
from ..permissions import require
from .posts import get_answer, get_question


@transactional
def accept_answer(actor, answer_id) -> Answer:
    """Mark an answer as the one that solved its question; moves any earlier acceptance."""
    answer = get_answer(answer_id)
    # Lock the question row: parallel accepts of two answers leave exactly one accepted.
    question = get_question(answer.question_id, lock=True)
    require(actor, "accept", question)
    if question.accepted_answer_id == answer.id:
        return answer  # already accepted: a double click changes nothing
    if question.accepted_answer_id is not None:
        _unaccept(actor, question, db.session.get(Answer, question.accepted_answer_id))
    now = utcnow()
    _write(answer, accepted_at=now)
    _write(question, accepted_answer_id=answer.id, last_activity_at=now)
    events.answer_accepted.send(None, answer=answer, question=question, actor=actor)
    return answer


def _write(post, **values):
    """Update a post's columns and the loaded object alike, with no reload: the question
    row is locked and nothing else in this transaction changes these columns."""
    model = type(post)
    db.session.execute(update(model).where(model.id == post.id).values(**values)
                       .execution_options(synchronize_session=False))
    for key, value in values.items():
        set_committed_value(post, key, value)


def _unaccept(actor, question, answer):
    _write(answer, accepted_at=None)
    _write(question, accepted_answer_id=None)
    events.answer_unaccepted.send(None, answer=answer, question=question, actor=actor)


@transactional
def unaccept_answer(actor, answer_id, _skip_permission=False) -> Answer:
    """Withdraw the acceptance of an answer."""
    answer = get_answer(answer_id)
    question = get_question(answer.question_id, lock=True)
    if not _skip_permission:
        require(actor, "accept", question)
    if question.accepted_answer_id != answer.id:
        raise Conflict(_("This answer is not the accepted one."))
    _unaccept(actor, question, answer)
    return answer
