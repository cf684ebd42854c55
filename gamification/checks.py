"""Invariants I3, I4 and I6 for `flask doctor`, and the one-shot award part of I1."""

from sqlalchemy import func, select

from support.doctor import cache_mismatches, register
from support.extensions import db
from support.models import User

from .models import BadgeAward, DailyVotePoints, PointsEntry
from .rules import CAPPED_REASONS, daily_cap


def points_mismatches():
    """Return (member, stored points, ledger sum) for every member whose total is wrong."""
    return cache_mismatches(User.id, User.points, PointsEntry.user_id, func.sum(PointsEntry.delta))


@register("I3 every member's points equal the sum of their ledger rows")
def points_match_ledger():
    rows = points_mismatches()
    return [f"member {u} shows {p} points but the ledger sums to {t}" for u, p, t in rows]


@register("I4 points from votes per member per UTC day stay within the daily cap")
def daily_cap_respected():
    cap = daily_cap()
    rows = db.session.execute(
        select(PointsEntry.user_id, PointsEntry.cap_day, func.sum(PointsEntry.delta))
        .where(PointsEntry.reason.in_(CAPPED_REASONS), PointsEntry.reverses_id.is_(None), PointsEntry.cap_day.is_not(None))
        .group_by(PointsEntry.user_id, PointsEntry.cap_day)
        .having(func.sum(PointsEntry.delta) > cap)
    ).all()
    problems = [f"member {u} earned {n} points from votes on {d} (cap {cap})" for u, d, n in rows]
    rows = db.session.execute(select(DailyVotePoints.user_id, DailyVotePoints.day).where(DailyVotePoints.points > cap)).all()
    problems += [f"member {u} has a daily vote total over the cap on {d}" for u, d in rows]
    return problems


@register("I6 every reversal points at a row it reverses, and no row is reversed twice")
def reversals_well_formed():
    original = db.aliased(PointsEntry)
    rows = db.session.execute(
        select(PointsEntry.id, PointsEntry.reverses_id)
        .outerjoin(original, original.id == PointsEntry.reverses_id)
        .where(PointsEntry.reverses_id.is_not(None))
        .where((original.id.is_(None)) | (original.user_id != PointsEntry.user_id) | (original.reverses_id.is_not(None)))
    ).all()
    problems = [f"ledger row {r} reverses {o}, which is missing, another member's, or itself a reversal" for r, o in rows]
    rows = db.session.execute(
        select(PointsEntry.reverses_id, func.count()).where(PointsEntry.reverses_id.is_not(None))
        .group_by(PointsEntry.reverses_id).having(func.count() > 1)
    ).all()
    problems += [f"ledger row {o} is reversed {n} times" for o, n in rows]
    return problems


@register("I1 no one-shot award granted twice")
def badges_once():
    rows = db.session.execute(
        select(BadgeAward.user_id, BadgeAward.badge, BadgeAward.tag_key, func.count())
        .group_by(BadgeAward.user_id, BadgeAward.badge, BadgeAward.tag_key).having(func.count() > 1)
    ).all()
    problems = [f"member {u} holds badge {b} ({t}) {n} times" for u, b, t, n in rows]
    rows = db.session.execute(
        select(PointsEntry.award_key, func.count()).where(PointsEntry.award_key.is_not(None))
        .group_by(PointsEntry.award_key).having(func.count() > 1)
    ).all()
    problems += [f"award {k} written {n} times" for k, n in rows]
    return problems
