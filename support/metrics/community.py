"""The community figures shown beside the deflection estimate: answer and solve rates,
time to first answer, community resolution share, segment shares and CSAT."""

import math
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, select

from gamification.segments import weekly_shares

from ..extensions import db
from ..models import Answer, Question
from ..services import csat
from .report import deflection_report


def day_start(day: date) -> datetime:
    """Return midnight UTC at the start of `day`."""
    return datetime.combine(day, time(), tzinfo=UTC)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def percentile(values: list[float], share: float) -> float | None:
    """Return the nearest-rank percentile of `values` (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered, middle = sorted(values), len(values) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def question_figures(start: date, end: date) -> dict:
    """Questions asked from `start` to `end` (inclusive, UTC days): answered, solved, time to first answer."""
    live_answer = and_(Answer.question_id == Question.id, Answer.deleted_at.is_(None))
    rows = db.session.execute(
        select(Question.created_at, Question.accepted_answer_id, func.min(Answer.created_at))
        .outerjoin(Answer, live_answer)
        .where(Question.deleted_at.is_(None), Question.created_at >= day_start(start),
               Question.created_at < day_start(end + timedelta(days=1)))
        .group_by(Question.id, Question.created_at, Question.accepted_answer_id)
    ).all()
    waits = []
    for created_at, _accepted, first_answer in rows:
        if first_answer is not None:
            waits.append(max(0.0, (first_answer - created_at).total_seconds() / 60))
    asked, answered = len(rows), len(waits)
    solved = sum(1 for _created, accepted, _first in rows if accepted is not None)
    median, p90 = _median(waits), percentile(waits, 0.9)
    return {
        "asked": asked,
        "answered": answered,
        "solved": solved,
        "answer_rate": _share(answered, asked),
        "solve_rate": _share(solved, asked),
        "first_answer_minutes": {
            "median": round(median, 1) if median is not None else None,
            "p90": round(p90, 1) if p90 is not None else None,
        },
    }


def csat_figures(start: date, end: date) -> dict:
    """CSAT over the period and per week (weeks starting on the Monday of `start`)."""
    first_monday = start - timedelta(days=start.weekday())
    weeks = (end - first_monday).days // 7 + 1
    trend = csat.weekly_trend(day_start(first_monday), weeks)
    return {
        "overall": csat.overall(day_start(start), day_start(end + timedelta(days=1))),
        "weekly": [{**row, "week": row["week"].date().isoformat()} for row in trend],
    }


def segment_figures() -> dict:
    """The latest segment shares among active members (rolling 90 days)."""
    latest = weekly_shares(1)[-1]
    return {
        "day": latest["day"].isoformat(),
        "total": latest["total"],
        **{name: round(latest[name], 4) for name in ("creator", "contributor", "viewer")},
    }


def community_figures(start: date, end: date, report: dict | None = None) -> dict:
    """Return the community figures for a period as a JSON-able dict.

    `report` is the period's deflection report when the caller already has it (the
    community resolution share comes from it); otherwise it is computed here.
    """
    if report is None:
        report = deflection_report(start, end)
    companions, quantities = report["companions"], report["quantities"]
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "questions": question_figures(start, end),
        "resolution": {
            "community_resolution_share": companions.get("community_resolution_share"),
            "community_answered": quantities.get("Q"),
            "staff_resolved": quantities.get("staff_resolved"),
        },
        "segments": segment_figures(),
        "csat": csat_figures(start, end),
    }
