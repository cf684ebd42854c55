"""Votes on questions and answers: cast or change with POST, retract with DELETE."""

from flask_babel import gettext as _

from ..errors import Invalid
from ..services import votes
from . import bp
from .auth import caller, login_required
from .parsing import json_body


def _vote_value() -> int:
    # The service also takes 0 (retract); here retracting is DELETE, so a POST needs 1 or -1.
    value = json_body(required={"value": int})["value"]
    if value not in (1, -1):
        msg = _("A vote is 1 or -1.")
        raise Invalid(msg, fields={"value": msg})
    return value


def _cast(question_id, answer_id, value) -> dict:
    target = ("question", question_id) if question_id is not None else ("answer", answer_id)
    score, my_vote = votes.cast_vote(caller(), *target, value)
    return {"score": score, "my_vote": my_vote}


@bp.post("/questions/<int:question_id>/votes")
@bp.post("/answers/<int:answer_id>/votes")
@login_required
def vote(question_id=None, answer_id=None):
    """Cast or change the caller's vote on a question or an answer."""
    return _cast(question_id, answer_id, _vote_value())


@bp.delete("/questions/<int:question_id>/votes")
@bp.delete("/answers/<int:answer_id>/votes")
@login_required
def retract_vote(question_id=None, answer_id=None):
    """Retract the caller's vote on a question or an answer."""
    return _cast(question_id, answer_id, 0)
