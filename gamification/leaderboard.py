"""Leaderboards read from the aggregates: an index range scan, whatever the ledger size."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from support.extensions import db
from support.models import Tag, User
from support.models.base import utcnow

from .ledger import period_starts
from .models import LeaderboardEntry

PERIODS = ("week", "month", "all")


@dataclass
class Standing:
    rank: int
    user_id: int
    username: str
    display_name: str | None
    points: int


def _board(period: str, tag_key: int):
    start = period_starts(utcnow().date())[period]
    return (
        LeaderboardEntry.period == period,
        LeaderboardEntry.period_start == start,
        LeaderboardEntry.tag_key == tag_key,
        LeaderboardEntry.points > 0,
    )


def tag_key_for(tag_name: str | None) -> int | None:
    """Return the tag id for a board (0 for the overall board, None for an unknown tag)."""
    if not tag_name:
        return 0
    return db.session.scalar(select(Tag.id).where(Tag.name == tag_name))


def top(period: str = "week", tag_key: int = 0, limit: int = 20) -> list[Standing]:
    """Return the top members of a board; ties go to whoever reached the score first."""
    rows = db.session.execute(
        select(LeaderboardEntry.user_id, User.username, User.display_name, LeaderboardEntry.points)
        .join(User, User.id == LeaderboardEntry.user_id)
        .where(*_board(period, tag_key))
        .order_by(LeaderboardEntry.points.desc(), LeaderboardEntry.reached_at, LeaderboardEntry.user_id)
        .limit(limit)
    ).all()
    return [Standing(i, uid, name, shown, pts) for i, (uid, name, shown, pts) in enumerate(rows, start=1)]


def standing_of(user_id: int, period: str = "week", tag_key: int = 0) -> Standing | None:
    """Return a member's own rank and points on a board, or None without points there."""
    mine = db.session.execute(
        select(LeaderboardEntry.points, LeaderboardEntry.reached_at)
        .where(*_board(period, tag_key), LeaderboardEntry.user_id == user_id)
    ).first()
    if mine is None:
        return None
    points, reached = mine
    ahead = db.session.scalar(
        select(func.count()).where(
            *_board(period, tag_key),
            or_(
                LeaderboardEntry.points > points,
                and_(LeaderboardEntry.points == points, LeaderboardEntry.reached_at < reached),
                and_(LeaderboardEntry.points == points, LeaderboardEntry.reached_at == reached,
                     LeaderboardEntry.user_id < user_id),
            ),
        )
    )
    user = db.session.get(User, user_id)
    return Standing(ahead + 1, user_id, user.username, user.display_name, points)
