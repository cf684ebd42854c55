"""Votes on questions and answers: cast, change, retract."""

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import events
from ..database import transactional
from ..errors import Invalid
from ..extensions import db
from ..limits import check_vote_quota
from ..models import Answer, Question, User, Vote
from ..permissions import require
from .posts import get_answer, get_question

TARGETS = {"question": (Question, Vote.question_id), "answer": (Answer, Vote.answer_id)}


def _existing(voter_id, column, target_id):
    # FOR UPDATE: a parallel change of the same vote waits and then sees the new value.
    return db.session.scalar(
        select(Vote).where(Vote.voter_id == voter_id, column == target_id).with_for_update()
    )


@transactional
def retract_vote(voter_id: int, target_type: str, target_id: int) -> None:
    """Remove a vote on behalf of the system (serial-vote reversal), without permission checks."""
    voter = db.session.get(User, voter_id)
    target = get_question(target_id) if target_type == "question" else get_answer(target_id)
    _apply(voter, target, target_type, 0)


@transactional
def cast_vote(voter, target_type: str, target_id: int, value: int) -> tuple[int, int]:
    """Set the voter's vote on a post to +1, -1 or 0 (retract); return (score, my_vote).

    Voting again with the same value changes nothing, so a double click is harmless.
    """
    if value not in (-1, 0, 1) or isinstance(value, bool):
        raise Invalid(_("A vote is 1 or -1."), fields={"value": _("A vote is 1 or -1.")})
    target = get_question(target_id) if target_type == "question" else get_answer(target_id)
    require(voter, "vote", target, value=value or None)
    return _apply(voter, target, target_type, value)


def _apply(voter, target, target_type, value):
    model, column = TARGETS[target_type]
    vote = _existing(voter.id, column, target.id)
    old = vote.value if vote else 0
    if value == 0:
        if vote is not None:
            db.session.execute(delete(Vote).where(Vote.id == vote.id))
    elif vote is None:
        check_vote_quota(voter)
        try:
            with db.session.begin_nested():
                db.session.add(Vote(voter_id=voter.id, value=value, **{column.key: target.id}))
        except IntegrityError:  # the same vote committed by a parallel request (double click)
            vote = _existing(voter.id, column, target.id)
            old = vote.value
            vote.value = value
    else:
        vote.value = value
    delta = value - old
    if delta:
        db.session.execute(update(model).where(model.id == target.id).values(score=model.score + delta))
        db.session.flush()
        db.session.expire(target, ["score"])  # reload the score the database now holds
        events.vote_cast.send(None, voter=voter, target=target, target_type=target_type, old=old, new=value)
    return target.score, value
