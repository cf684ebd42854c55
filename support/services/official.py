"""Staff verification of a member's answer: "checked by support, this is right"."""

from flask_babel import gettext as _

from .. import events
from ..database import transactional
from ..errors import Conflict
from ..models.base import utcnow
from ..permissions import require
from .posts import get_answer


@transactional
def verify_answer(actor, answer_id):
    """Mark a member's answer as verified by staff; its author earns the verification points."""
    require(actor, "staff")
    answer = get_answer(answer_id, lock=True)
    if answer.is_official:
        raise Conflict(_("An official answer is already from staff; only members' answers are verified."))
    if answer.verified_at is not None:
        return answer  # a double click verifies once
    answer.verified_at = utcnow()
    events.answer_verified.send(None, answer=answer, question=answer.question, actor=actor)
    return answer


@transactional
def unverify_answer(actor, answer_id):
    """Withdraw a verification (its points are reversed)."""
    require(actor, "staff")
    answer = get_answer(answer_id, lock=True)
    if answer.verified_at is None:
        return answer
    answer.verified_at = None
    events.answer_unverified.send(None, answer=answer, question=answer.question, actor=actor)
    return answer
