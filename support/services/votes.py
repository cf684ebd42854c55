"""Votes on questions and answers: cast, change, retract."""

import functools
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value

from .. import events
from ..database import transactional
from ..errors import Invalid
from ..extensions import db
from ..limits import check_vote_quota
from ..models import Answer, Question, User, Vote
from ..models.base import utcnow
from ..permissions import require
from .posts import get_answer, get_question

TARGETS = {"question": (Question, Vote.question_id), "answer": (Answer, Vote.answer_id)}


@functools.cache
def _statements(dialect: str, target_type: str) -> SimpleNamespace:
    """Build the statements of a vote once per dialect and kind of post.

    Built from the tables with bound parameters, they skip the statement construction
    and ORM bookkeeping that cost more than the queries themselves on every vote.
    """
    model, column = TARGETS[target_type]
    votes, posts = Vote.__table__, model.__table__
    target = votes.c[column.key]
    # Parameter names that are not column names: an UPDATE reserves those for its SET clause.
    mine = (votes.c.voter_id == bindparam("voter"), target == bindparam("target"))
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(votes)
    return SimpleNamespace(
        # FOR UPDATE: a parallel change of the same vote waits and then sees the new value.
        current=select(votes.c.value).where(*mine).with_for_update(),
        # ON CONFLICT DO NOTHING: a parallel double click's insert wins and ours adds
        # nothing, without the savepoint an IntegrityError would need.
        insert=insert.values(voter_id=bindparam("voter"), value=bindparam("value"), created_at=bindparam("now"),
                             **{column.key: bindparam("target")})
        .on_conflict_do_nothing(index_elements=["voter_id", column.key])
        .returning(votes.c.id),
        change=update(votes).where(*mine).values(value=bindparam("value")),
        delete=delete(votes).where(*mine),
        # The score the database now holds, parallel votes included.
        score=update(posts).where(posts.c.id == bindparam("target"))
        .values(score=posts.c.score + bindparam("delta")).returning(posts.c.score),
    )


@transactional
def retract_vote(voter_id: int, target_type: str, target_id: int) -> None:
    """Remove a vote on behalf of the system (serial-vote reversal), without permission checks.

    Also on a removed post (its points left with it): refusing it as not found would make
    one removed post block the reversal of every other serial vote.
    """
    voter = db.session.get(User, voter_id)
    target = db.session.get(TARGETS[target_type][0], target_id)
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
    sql = _statements(db.engine.dialect.name, target_type)
    mine = {"voter": voter.id, "target": target.id}
    old = db.session.execute(sql.current, mine).scalar() or 0
    if value == old:
        return _committed_score(target), value  # a double click: nothing changes
    if value == 0:
        db.session.execute(sql.delete, mine)
    elif old == 0:
        check_vote_quota(voter)
        if db.session.execute(sql.insert, {**mine, "value": value, "now": utcnow()}).scalar() is None:
            # A parallel request committed this vote first: change that one.
            old = db.session.execute(sql.current, mine).scalar() or 0
            db.session.execute(sql.change, {**mine, "value": value})
    else:
        db.session.execute(sql.change, {**mine, "value": value})
    delta = value - old
    if delta:
        score = db.session.execute(sql.score, {"target": target.id, "delta": delta}).scalar_one()
        set_committed_value(target, "score", score)
        events.vote_cast.send(None, voter=voter, target=target, target_type=target_type, old=old, new=value)
    else:
        _committed_score(target)  # the parallel click's vote is in the score we answer with
    return target.score, value


def _committed_score(target) -> int:
    """Read the post's score again: it was loaded before this request waited for a parallel
    click's vote (PostgreSQL), and answering with it would show the vote without its point."""
    model = type(target)
    score = db.session.scalar(select(model.score).where(model.id == target.id))
    set_committed_value(target, "score", score)
    return score
