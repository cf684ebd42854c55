"""The monthly badge: fastest median time to a first answer among members with 20+ answers."""

from datetime import UTC, datetime, timedelta
from statistics import median

from sqlalchemy import func, select

from support.database import transactional
from support.extensions import db
from support.models import Answer, Question

from .badges import evaluate

MIN_ANSWERS = 20


def _month_bounds(month: str | None):
    if month:
        start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=UTC)
    else:
        first_this = datetime.now(UTC).date().replace(day=1)
        start = datetime.combine((first_this - timedelta(days=1)).replace(day=1), datetime.min.time(), tzinfo=UTC)
    end = datetime.combine((start.date() + timedelta(days=32)).replace(day=1), datetime.min.time(), tzinfo=UTC)
    return start, end


def fastest_of_month(start, end) -> tuple[int | None, float | None]:
    """Return (member, median seconds) with the fastest median time to a first answer."""
    first = (
        select(Answer.question_id, func.min(Answer.id).label("first_id"))
        .where(Answer.deleted_at.is_(None)).group_by(Answer.question_id).subquery()
    )
    rows = db.session.execute(
        select(Answer.author_id, Answer.created_at, Question.created_at)
        .join(first, first.c.first_id == Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.created_at >= start, Answer.created_at < end, Question.author_id != Answer.author_id)
    ).all()
    counts = dict(db.session.execute(
        select(Answer.author_id, func.count()).where(Answer.created_at >= start, Answer.created_at < end,
                                                     Answer.deleted_at.is_(None)).group_by(Answer.author_id)
    ).all())
    delays: dict[int, list[float]] = {}
    for author, answered, asked in rows:
        delays.setdefault(author, []).append((answered - asked).total_seconds())
    eligible = {a: median(d) for a, d in delays.items() if counts.get(a, 0) >= MIN_ANSWERS}
    if not eligible:
        return None, None
    winner = min(eligible, key=lambda a: (eligible[a], a))
    return winner, eligible[winner]


@transactional
def award_fastest_of_month(month: str | None = None) -> str:
    """Grant the monthly badge for a month (default: the last full month)."""
    start, end = _month_bounds(month)
    winner, seconds = fastest_of_month(start, end)
    if winner is None:
        return f"{start:%Y-%m}: nobody with {MIN_ANSWERS}+ answers"
    granted = evaluate("monthly", winner, {"fastest_user_id": winner})
    return f"{start:%Y-%m}: member {winner}, median {seconds / 60:.1f} min, {'granted' if granted else 'already held'}"


