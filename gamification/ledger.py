"""Write points: award, reverse, with the daily cap, the floor of 1 and the aggregates.

Everything here runs inside the caller's transaction (a domain event receiver), so the
points commit or roll back together with the fact that earned them.
"""

from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from support.bulk import importing
from support.extensions import db
from support.models import Answer, User, question_tags
from support.models.base import utcnow

from .models import DailyVotePoints, LeaderboardEntry, PointsEntry
from .rules import CAPPED_REASONS, VOTE_REASONS, daily_cap, points_table

EPOCH = date(1970, 1, 1)
MIN_POINTS = 1


def period_starts(day: date) -> dict[str, date]:
    """Return the first day of the week (Monday), month and all-time period of a day."""
    return {"week": day - timedelta(days=day.weekday()), "month": day.replace(day=1), "all": EPOCH}


def tags_of_source(source_type: str | None, source_id: int | None) -> list[int]:
    """Return the tag ids of the thread a ledger row's source belongs to."""
    if source_type == "question":
        question_id = source_id
    elif source_type == "answer":
        question_id = db.session.scalar(select(Answer.question_id).where(Answer.id == source_id))
    else:
        return []
    if question_id is None:
        return []
    return list(db.session.scalars(select(question_tags.c.tag_id).where(question_tags.c.question_id == question_id)))


def _insert(model):
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(model)


def bump_leaderboards(user_id: int, delta: int, day: date, tag_ids, at) -> None:
    """Add points to the member's week, month and all-time boards, overall and per tag."""
    if importing.get():  # rebuilt once after a bulk import
        return
    rows = [
        {"period": period, "period_start": start, "tag_key": tag_key, "user_id": user_id,
         "points": delta, "reached_at": at}
        for period, start in period_starts(day).items()
        for tag_key in (0, *tag_ids)
    ]
    stmt = _insert(LeaderboardEntry).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["period", "period_start", "tag_key", "user_id"],
        set_={"points": LeaderboardEntry.points + stmt.excluded.points, "reached_at": stmt.excluded.reached_at},
    )
    db.session.execute(stmt)


def _cap_grant(user_id: int, day: date, wanted: int) -> int:
    """Reserve up to `wanted` points of today's vote cap; return how many were granted."""
    lock = select(DailyVotePoints).where(DailyVotePoints.user_id == user_id, DailyVotePoints.day == day).with_for_update()
    row = db.session.scalar(lock)
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(DailyVotePoints(user_id=user_id, day=day, points=0))
        except IntegrityError:  # a parallel vote created today's row first
            pass
        row = db.session.scalar(lock.execution_options(populate_existing=True))
    grant = min(wanted, daily_cap() - row.points)
    if grant <= 0:
        return 0
    db.session.execute(
        update(DailyVotePoints)
        .where(DailyVotePoints.user_id == user_id, DailyVotePoints.day == day)
        .values(points=DailyVotePoints.points + grant)
    )
    return grant


def _floor(user_id: int, delta: int) -> int:
    """Limit a negative change so the member's total never drops below 1."""
    if delta >= 0:
        return delta
    total = db.session.scalar(select(User.points).where(User.id == user_id).with_for_update())
    return max(delta, MIN_POINTS - total) if total is not None else 0


def _write(entry: PointsEntry, effective_day: date) -> PointsEntry | None:
    if entry.award_key is None and entry.reverses_id is None:
        # Vote points need no savepoint: the vote row lock already serialises them.
        db.session.add(entry)
        db.session.flush()
    else:
        try:
            with db.session.begin_nested():
                db.session.add(entry)
        except IntegrityError:  # the same one-shot award or reversal, replayed: nothing to add
            return None
    after = db.session.execute(
        update(User).where(User.id == entry.user_id).values(points=User.points + entry.delta).returning(User.points)
    ).scalar_one()
    tag_ids = tags_of_source(entry.source_type, entry.source_id)
    bump_leaderboards(entry.user_id, entry.delta, effective_day, tag_ids, entry.created_at)
    from .live import points_written  # the live side builds on the ledger

    points_written(entry, after - entry.delta, after, tag_ids)
    return entry


def award(user_id, reason, *, source_type=None, source_id=None, actor_id=None, delta=None, key=None):
    """Give (or take) points for a reason; return the ledger row, or None if nothing changed."""
    delta = points_table()[reason] if delta is None else delta
    if key is None and reason not in VOTE_REASONS:
        # A one-shot award's identity: the n-th award of this reason for this source.
        previous = db.session.scalar(
            select(func.count()).where(
                PointsEntry.user_id == user_id, PointsEntry.reason == reason,
                PointsEntry.source_type == source_type, PointsEntry.source_id == source_id,
                PointsEntry.actor_id == actor_id, PointsEntry.reverses_id.is_(None),
            )
        )
        key = f"{reason}:{source_type}:{source_id}:{actor_id}:{user_id}:{previous + 1}"
    if key is not None and db.session.scalar(select(PointsEntry.id).where(PointsEntry.award_key == key)):
        return None  # the same one-shot award, replayed
    now = utcnow()
    cap_day = None
    if reason in CAPPED_REASONS and delta > 0:
        delta = _cap_grant(user_id, now.date(), delta)
        cap_day = now.date()
    delta = _floor(user_id, delta)
    if not delta:
        return None
    entry = PointsEntry(
        user_id=user_id, delta=delta, reason=reason, source_type=source_type, source_id=source_id,
        actor_id=actor_id, created_at=now, cap_day=cap_day, award_key=key,
    )
    return _write(entry, now.date())


def reverse(entry: PointsEntry, actor_id=None) -> PointsEntry | None:
    """Undo a ledger row with a reversing row that points at it (at most once)."""
    delta = _floor(entry.user_id, -entry.delta)
    reversal = PointsEntry(
        user_id=entry.user_id, delta=delta, reason=entry.reason, source_type=entry.source_type,
        source_id=entry.source_id, actor_id=actor_id, created_at=utcnow(), reverses_id=entry.id,
    )
    # The points leave the period in which they were earned.
    return _write(reversal, entry.created_at.date())


def live_entries(*, reasons, source_type, source_id, actor_id=None, user_id=None) -> list[PointsEntry]:
    """Return the awards for a source that have not been reversed yet."""
    undo = aliased(PointsEntry)
    stmt = select(PointsEntry).where(
        PointsEntry.reason.in_(reasons),
        PointsEntry.source_type == source_type,
        PointsEntry.source_id == source_id,
        PointsEntry.reverses_id.is_(None),
        ~select(undo.id).where(undo.reverses_id == PointsEntry.id).exists(),
    )
    if actor_id is not None:
        stmt = stmt.where(PointsEntry.actor_id == actor_id)
    if user_id is not None:
        stmt = stmt.where(PointsEntry.user_id == user_id)
    return list(db.session.scalars(stmt.order_by(PointsEntry.id)))


def reverse_all(entries, actor_id=None) -> int:
    """Reverse every given row; return how many were reversed."""
    return sum(reverse(entry, actor_id) is not None for entry in entries)
