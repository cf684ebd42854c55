"""Serial voting: find a voter who piles votes on one author's posts, and undo them."""

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from support.database import transactional
from support.extensions import db
from support.models import Answer, Question, Vote
from support.models.base import utcnow
from support.services.settings import get_setting
from support.services.votes import retract_vote

from .models import AuditEntry

SETTING = "gamification.serial_votes"
DEFAULTS = {"threshold": 10, "window_minutes": 60, "lookback_hours": 48}


def thresholds() -> dict:
    """Return the detection thresholds in force (admin setting over the defaults)."""
    return {**DEFAULTS, **(get_setting(SETTING, {}) or {})}


def _recent_votes(since):
    """Yield (vote id, voter, author, kind, post id, time) for votes cast since a moment."""
    for model, column, kind in ((Answer, Vote.answer_id, "answer"), (Question, Vote.question_id, "question")):
        stmt = (
            select(Vote.id, Vote.voter_id, model.author_id, column, Vote.created_at)
            .join(model, model.id == column)
            .where(Vote.created_at >= since)
        )
        for vote_id, voter, author, post_id, at in db.session.execute(stmt):
            yield vote_id, voter, author, kind, post_id, at


def find_serial_votes(threshold: int, window: timedelta, since) -> dict:
    """Return {(voter, author): [(vote id, kind, post id)]} for every serial pattern found."""
    by_pair = defaultdict(list)
    for vote_id, voter, author, kind, post_id, at in _recent_votes(since):
        by_pair[(voter, author)].append((at, vote_id, kind, post_id))
    found = {}
    for pair, votes in by_pair.items():
        if len(votes) < threshold:
            continue
        votes.sort()
        flagged = set()
        start = 0
        for end in range(len(votes)):
            while votes[end][0] - votes[start][0] > window:
                start += 1
            if end - start + 1 >= threshold:
                flagged.update(range(start, end + 1))
        if flagged:
            found[pair] = [votes[i][1:] for i in sorted(flagged)]
    return found


@transactional
def reverse_serial_votes(actor=None) -> dict:
    """Reverse serial votes and their points, with an audit entry; running it again changes nothing."""
    limits = thresholds()
    since = utcnow() - timedelta(hours=int(limits["lookback_hours"]))
    found = find_serial_votes(int(limits["threshold"]), timedelta(minutes=int(limits["window_minutes"])), since)
    reversed_votes = 0
    for (voter, author), votes in found.items():
        for _vote_id, kind, post_id in votes:
            retract_vote(voter, kind, post_id)
        reversed_votes += len(votes)
        db.session.add(AuditEntry(
            action="serial_votes_reversed", actor_id=getattr(actor, "id", None), subject_user_id=voter,
            details={"author_id": author, "votes": [{"kind": k, "post_id": p} for _v, k, p in votes],
                     "threshold": limits["threshold"], "window_minutes": limits["window_minutes"]},
        ))
    return {"voters": len(found), "votes_reversed": reversed_votes}
