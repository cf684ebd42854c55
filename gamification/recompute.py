"""Rebuild every derived store of gamification from the facts and the ledger."""

from collections import defaultdict

from sqlalchemy import delete, func, select, union, update

from support.bulk import quietly
from support.database import transactional
from support.extensions import db
from support.models import Answer, Question, User, Vote, question_tags

from .badges import CATALOGUE, evaluate
from .checks import points_mismatches
from .ledger import period_starts
from .models import DailyVotePoints, LeaderboardEntry, PointsEntry
from .rules import CAPPED_REASONS

BADGE_TRIGGERS = ("question_asked", "answer_posted", "answer_accepted", "accepted_own", "vote_given",
                  "vote_received", "comment_posted", "post_edited", "profile_updated", "idea_delivered")


def _thread_tags() -> tuple[dict, dict]:
    tags = defaultdict(list)
    for question_id, tag_id in db.session.execute(select(question_tags.c.question_id, question_tags.c.tag_id)):
        tags[question_id].append(tag_id)
    answer_question = {a: q for a, q in db.session.execute(select(Answer.id, Answer.question_id))}
    return tags, answer_question


def expected_leaderboards() -> dict:
    """Return {(period, start, tag_key, user_id): [points, reached_at]} computed from the ledger."""
    tags, answer_question = _thread_tags()
    created = {}
    boards: dict = {}
    rows = db.session.execute(
        select(PointsEntry.id, PointsEntry.user_id, PointsEntry.delta, PointsEntry.created_at,
               PointsEntry.source_type, PointsEntry.source_id, PointsEntry.reverses_id)
        .order_by(PointsEntry.id)
        .execution_options(yield_per=5000)
    )
    for entry_id, user_id, delta, at, source_type, source_id, reverses_id in rows:
        created[entry_id] = at
        # A reversal takes the points away from the period in which they were earned.
        day = (created.get(reverses_id, at) if reverses_id else at).date()
        question_id = source_id if source_type == "question" else answer_question.get(source_id) if source_type == "answer" else None
        for period, start in period_starts(day).items():
            for tag_key in (0, *tags.get(question_id, ())):
                slot = boards.setdefault((period, start, tag_key, user_id), [0, at])
                slot[0] += delta
                slot[1] = max(slot[1], at)
    return boards


@transactional
def recompute() -> dict:
    """Rebuild totals, daily caps, leaderboards and missing badges; return what changed."""
    report = {}
    wrong = points_mismatches()
    for user_id, _stored, total in wrong:
        db.session.execute(update(User).where(User.id == user_id).values(points=total))
    report["points totals fixed"] = len(wrong)

    expected_caps = {
        (u, d): n for u, d, n in db.session.execute(
            select(PointsEntry.user_id, PointsEntry.cap_day, func.sum(PointsEntry.delta))
            .where(PointsEntry.reason.in_(CAPPED_REASONS), PointsEntry.cap_day.is_not(None), PointsEntry.reverses_id.is_(None))
            .group_by(PointsEntry.user_id, PointsEntry.cap_day))
    }
    actual_caps = {(r.user_id, r.day): r.points for r in db.session.scalars(select(DailyVotePoints))}
    report["daily cap rows fixed"] = sum(expected_caps.get(k) != actual_caps.get(k) for k in set(expected_caps) | set(actual_caps))
    if report["daily cap rows fixed"]:
        db.session.execute(delete(DailyVotePoints))
        db.session.add_all(DailyVotePoints(user_id=u, day=d, points=n) for (u, d), n in expected_caps.items())

    expected = expected_leaderboards()
    actual = {
        (r.period, r.period_start, r.tag_key, r.user_id): r.points
        for r in db.session.scalars(select(LeaderboardEntry))
    }
    changed = sum(expected.get(k, [None])[0] != actual.get(k) for k in set(expected) | set(actual))
    report["leaderboard rows fixed"] = changed
    if changed:
        db.session.execute(delete(LeaderboardEntry))
        db.session.add_all(
            LeaderboardEntry(period=p, period_start=s, tag_key=t, user_id=u, points=pts, reached_at=at)
            for (p, s, t, u), (pts, at) in expected.items()
        )

    active = db.session.scalars(union(
        select(Question.author_id), select(Answer.author_id), select(Vote.voter_id)
    )).all()
    granted = 0
    with quietly():
        for user_id in active:
            for trigger in BADGE_TRIGGERS:
                granted += len(evaluate(trigger, user_id))
    report["badges granted"] = granted
    report["badges in the catalogue"] = len(CATALOGUE)
    return report
