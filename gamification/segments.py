"""Creators, Contributors and Viewers over a rolling 90 days (Customer Energy segments)."""

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from support.extensions import db
from support.models import Answer, Comment, Question, User, Vote

from .models import SegmentSnapshot

WINDOW_DAYS = 90
SEGMENTS = ("creator", "contributor", "viewer")
# Published shares of Creators among customers (A.T. Kearney, Customer Energy).
BENCHMARKS = (
    ("financial_services", _l("Financial services"), 0.20),
    ("average", _l("Average across industries"), 0.11),
    ("media", _l("Media"), 0.12),
    ("telecoms", _l("Telecommunications"), 0.09),
)
_extra_creator_sources: list = []


def add_creator_source(fn):
    """Let another package count members as Creators (e.g. ideas): fn(since, until) -> select of user ids."""
    _extra_creator_sources.append(fn)
    return fn


def _window(as_of: datetime):
    return as_of - timedelta(days=WINDOW_DAYS), as_of


def _ids(stmt) -> set[int]:
    return set(db.session.scalars(stmt))


def classify(as_of: datetime | None = None) -> dict[str, set[int]]:
    """Return the member ids in each segment for the 90 days up to `as_of`."""
    as_of = as_of or datetime.now(UTC)
    since, until = _window(as_of)
    live_answers = (Answer.deleted_at.is_(None), Answer.created_at >= since, Answer.created_at < until)
    creators = _ids(select(Answer.author_id).where(*live_answers).group_by(Answer.author_id).having(func.count() >= 3))
    creators |= _ids(select(Answer.author_id).where(*live_answers, Answer.accepted_at.is_not(None)))
    for source in _extra_creator_sources:
        creators |= _ids(source(since, until))
    contributors = _ids(select(Vote.voter_id).where(Vote.created_at >= since, Vote.created_at < until))
    contributors |= _ids(select(Comment.author_id).where(Comment.created_at >= since, Comment.created_at < until))
    contributors |= _ids(select(Question.author_id).where(Question.created_at >= since, Question.created_at < until))
    contributors |= _ids(select(Answer.author_id).where(*live_answers))
    contributors -= creators
    viewers = _ids(select(User.id).where(User.last_seen_at >= since, User.last_seen_at < until)) - creators - contributors
    return {"creator": creators, "contributor": contributors, "viewer": viewers}


def segment_of(user_id: int, as_of: datetime | None = None) -> str:
    """Return one member's segment today: creator, contributor or viewer."""
    as_of = as_of or datetime.now(UTC)
    since, until = _window(as_of)
    live = (Answer.author_id == user_id, Answer.deleted_at.is_(None), Answer.created_at >= since)
    answers, accepted = db.session.execute(select(func.count(), func.count(Answer.accepted_at)).where(*live)).one()
    if answers >= 3 or accepted >= 1 or any(user_id in _ids(src(since, until)) for src in _extra_creator_sources):
        return "creator"
    for model, column, at in (
        (Vote, Vote.voter_id, Vote.created_at),
        (Comment, Comment.author_id, Comment.created_at),
        (Question, Question.author_id, Question.created_at),
    ):
        if db.session.scalar(select(func.count()).where(column == user_id, at >= since)):
            return "contributor"
    return "contributor" if answers else "viewer"


def snapshot(day: date) -> SegmentSnapshot:
    """Return the segment counts at the end of a day, computing and storing them once."""
    row = db.session.get(SegmentSnapshot, day)
    if row is None or day >= datetime.now(UTC).date():
        groups = classify(datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC))
        counts = {f"{name}s": len(ids) for name, ids in groups.items()}
        if row is None:
            row = SegmentSnapshot(day=day, **counts)
            if day < datetime.now(UTC).date():
                db.session.add(row)  # a past day's figures are final: keep them
        else:
            for key, value in counts.items():
                setattr(row, key, value)
    return row


def weekly_shares(weeks: int = 12) -> list[dict]:
    """Return the segment shares at the end of each of the last weeks (oldest first)."""
    today = datetime.now(UTC).date()
    points = []
    for back in range(weeks - 1, -1, -1):
        day = today - timedelta(days=7 * back)
        row = snapshot(day)
        total = row.creators + row.contributors + row.viewers
        points.append({
            "day": day, "total": total,
            "creator": row.creators / total if total else 0.0,
            "contributor": row.contributors / total if total else 0.0,
            "viewer": row.viewers / total if total else 0.0,
        })
    db.session.commit()
    return points
