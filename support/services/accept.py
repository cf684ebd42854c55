"""Accepting the answer that solved a question: one domain operation."""

from flask_babel import gettext as _
from sqlalchemy import update

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
    db.session.execute(update(Answer).where(Answer.id == answer.id).values(accepted_at=now))
    db.session.execute(
        update(Question).where(Question.id == question.id).values(accepted_answer_id=answer.id, last_activity_at=now)
    )
    db.session.flush()
    db.session.refresh(answer)
    db.session.refresh(question)
    events.answer_accepted.send(None, answer=answer, question=question, actor=actor)
    return answer


def _unaccept(actor, question, answer):
    db.session.execute(update(Answer).where(Answer.id == answer.id).values(accepted_at=None))
    db.session.execute(update(Question).where(Question.id == question.id).values(accepted_answer_id=None))
    db.session.flush()
    db.session.refresh(answer)
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
    db.session.refresh(question)
    return answer
