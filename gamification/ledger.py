"""Write points: award, reverse, with the daily cap, the floor of 1 and the aggregates.

Everything here runs inside the caller's transaction (a domain event receiver), so the
points commit or roll back together with the fact that earned them.
"""

import functools
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
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
    """Return the tag ids of the thread a ledger row's source belongs to.

    Asked once per transaction and source: a downvote or an acceptance writes two rows
    for the same post, and each row bumps the same tag boards.
    """
    if source_type not in ("question", "answer") or source_id is None:
        return []
    cache = _transaction_cache("ledger_source_tags")
    if (source_type, source_id) not in cache:
        stmt = _sql().question_tags if source_type == "question" else _sql().answer_tags
        cache[(source_type, source_id)] = sorted(db.session.scalars(stmt, {"source_id": source_id}))
    return cache[(source_type, source_id)]


def _transaction_cache(name: str) -> dict:
    """Return a dict that lives as long as the session's current transaction."""
    session = db.session()
    transaction = session.get_transaction()
    cache = session.info.get(name)
    if cache is None or cache[0] is not transaction:
        cache = session.info[name] = (transaction, {})
    return cache[1]


def _sql():
    return _statements(db.engine.dialect.name)


def insert_for(dialect: str):
    """Return the INSERT construct that can say ON CONFLICT on this database."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


@functools.cache
def _statements(dialect: str) -> SimpleNamespace:
    """Build the statements of the points path once per database dialect.

    Every vote runs them: built from the tables with bound parameters, they skip the
    statement construction and ORM bookkeeping that cost more than the queries
    themselves (about 1 ms of the 1.3 ms of a leaderboard upsert).
    """
    insert = insert_for(dialect)
    users, ledger = User.__table__, PointsEntry.__table__
    daily, boards = DailyVotePoints.__table__, LeaderboardEntry.__table__
    answers, tagged = Answer.__table__, question_tags

    add_daily = insert(daily).values(user_id=bindparam("user_id"), day=bindparam("day"), points=bindparam("points"))
    add_daily = add_daily.on_conflict_do_update(
        index_elements=["user_id", "day"], set_={"points": daily.c.points + add_daily.excluded.points}
    ).returning(daily.c.points)
    # One row's upsert, run for the 3 periods x (overall + each tag) in one executemany: a
    # multi-row VALUES statement would be compiled again on every call (SQLAlchemy does
    # not cache those), which costs more than the statement.
    add_board = insert(boards).values(**{c: bindparam(c) for c in BOARD_COLUMNS})
    add_board = add_board.on_conflict_do_update(
        index_elements=["period", "period_start", "tag_key", "user_id"],
        set_={"points": boards.c.points + add_board.excluded.points, "reached_at": add_board.excluded.reached_at},
    )
    append = insert(ledger).values(**{c: bindparam(c) for c in ENTRY_COLUMNS})
    return SimpleNamespace(
        question_tags=select(tagged.c.tag_id).where(tagged.c.question_id == bindparam("source_id")),
        answer_tags=select(tagged.c.tag_id)
        .join(answers, answers.c.question_id == tagged.c.question_id)
        .where(answers.c.id == bindparam("source_id")),
        add_daily=add_daily,
        add_board=add_board,
        set_daily=update(daily)  # parameter names that are not column names, as an UPDATE needs
        .where(daily.c.user_id == bindparam("member"), daily.c.day == bindparam("on_day"))
        .values(points=bindparam("points")),
        append=append.returning(ledger.c.id),
        append_once=append.on_conflict_do_nothing().returning(ledger.c.id),
        add_points=update(users)
        .where(users.c.id == bindparam("user_id"))
        .values(points=users.c.points + bindparam("delta"))
        .returning(users.c.points),
        lock_points=select(users.c.points).where(users.c.id == bindparam("user_id")).with_for_update(),
    )


BOARD_COLUMNS = ("period", "period_start", "tag_key", "user_id", "points", "reached_at")
ENTRY_COLUMNS = ("user_id", "delta", "reason", "source_type", "source_id", "actor_id", "created_at", "cap_day",
                 "award_key", "reverses_id")


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
    db.session.execute(_sql().add_board, rows)


def _cap_grant(user_id: int, day: date, wanted: int) -> int:
    """Reserve up to `wanted` points of today's vote cap; return how many were granted.

    One upsert adds all of `wanted` and locks today's row (a parallel vote waits for our
    commit); only when that passes the cap does a second statement take the excess back.
    """
    total = db.session.execute(_sql().add_daily, {"user_id": user_id, "day": day, "points": wanted}).scalar_one()
    before = total - wanted
    grant = max(0, min(wanted, daily_cap() - before))
    if grant < wanted:
        db.session.execute(_sql().set_daily, {"member": user_id, "on_day": day, "points": before + grant})
    return grant


def _floor(user_id: int, delta: int) -> int:
    """Limit a negative change so the member's total never drops below 1."""
    if delta >= 0:
        return delta
    total = db.session.execute(_sql().lock_points, {"user_id": user_id}).scalar()
    return max(delta, MIN_POINTS - total) if total is not None else 0


def _write(entry: PointsEntry, effective_day: date) -> PointsEntry | None:
    """Append the row, move the member's total and boards; None if the row was already there.

    A one-shot award (a key) or a reversal is inserted with ON CONFLICT DO NOTHING: a
    replay, or the same award committed in parallel, then adds nothing, without the cost
    of a savepoint. Vote points have neither; the vote row lock serialises them.
    """
    once = entry.award_key is not None or entry.reverses_id is not None
    values = {column: getattr(entry, column) for column in ENTRY_COLUMNS}
    entry.id = db.session.execute(_sql().append_once if once else _sql().append, values).scalar()
    if entry.id is None:
        return None
    after = db.session.execute(_sql().add_points, {"user_id": entry.user_id, "delta": entry.delta}).scalar_one()
    tag_ids = tags_of_source(entry.source_type, entry.source_id)
    bump_leaderboards(entry.user_id, entry.delta, effective_day, tag_ids, entry.created_at)
    from .live import points_written  # the live side builds on the ledger

    points_written(entry, after - entry.delta, after, tag_ids)
    return entry


def award(user_id, reason, *, source_type=None, source_id=None, actor_id=None, delta=None, key=None):
    """Give (or take) points for a reason; return the ledger row written (not attached to
    the session), or None if nothing changed."""
    delta = points_table()[reason] if delta is None else delta
    if key is None and reason not in VOTE_REASONS:
        # A one-shot award's identity: the n-th award of this reason for this source.
        previous = db.session.scalar(
            select(func.count()).where(
                _member_is(user_id), PointsEntry.reason == reason,
                PointsEntry.source_type == source_type, PointsEntry.source_id == source_id,
                PointsEntry.actor_id == actor_id, NOT_A_REVERSAL,
            )
        )
        key = f"{reason}:{source_type}:{source_id}:{actor_id}:{user_id}:{previous + 1}"
    now = utcnow()
    cap_day = None
    if reason in CAPPED_REASONS and delta > 0:
        if key is not None and db.session.scalar(select(PointsEntry.id).where(PointsEntry.award_key == key)):
            return None  # replayed: it must not take a second share of today's cap
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


# Conditions SQLite must not read through an index. It keeps no statistics, and for a
# post's ledger rows it picked the unique index on reverses_id (NULL in nearly every row:
# a scan of the whole ledger, 0.3 s at five million rows) or the member's index
# (thousands of rows for a prolific author) over the source index that finds the few
# rows of one post. An expression on a column keeps its index out of the choice.
NOT_A_REVERSAL = func.coalesce(PointsEntry.reverses_id, 0) == 0


def _member_is(user_id):
    return PointsEntry.user_id + 0 == user_id


def live_entries(*, reasons, source_type, source_id, actor_id=None, user_id=None) -> list[PointsEntry]:
    """Return the awards for a source that have not been reversed yet."""
    undo = aliased(PointsEntry)
    stmt = select(PointsEntry).where(
        PointsEntry.reason.in_(reasons),
        PointsEntry.source_type == source_type,
        PointsEntry.source_id == source_id,
        NOT_A_REVERSAL,
        ~select(undo.id).where(undo.reverses_id == PointsEntry.id).exists(),
    )
    if actor_id is not None:
        stmt = stmt.where(PointsEntry.actor_id == actor_id)
    if user_id is not None:
        stmt = stmt.where(_member_is(user_id))
    return list(db.session.scalars(stmt.order_by(PointsEntry.id)))


def reverse_all(entries, actor_id=None) -> int:
    """Reverse every given row; return how many were reversed."""
    return sum(reverse(entry, actor_id) is not None for entry in entries)
