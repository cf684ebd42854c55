"""Load the stored events of a period and compute its deflection report; "helped about N people".

The loader reads only what the pure estimate needs, as plain tuples: views of the period
stream from the database in time order (never held as ORM objects), the rest is small.
Nothing here writes.
"""

import copy
import json
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select, union

from search.models import AskFlow

from ..extensions import db
from ..models.base import utcnow
from ..models.metrics import ContactFeedback, SolvedFeedback, ThreadView
from ..models.posts import Answer, Comment, Question
from ..models.staff import Escalation
from ..models.users import User
from .config import deflection_config
from .deflection import BROWSERS, Events, compute, final_on

STAFF_ROLES = ("staff", "admin")
STAFF_RESOLUTIONS = ("staff_answer", "outside")
YIELD_PER = 50_000


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def period_bounds(kind: str, moment) -> tuple[date, date]:
    """Return the (first, last) UTC day of the week (Monday first) or month holding `moment`."""
    day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if kind == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    raise ValueError(f"unknown period kind {kind!r}: use 'week' or 'month'")


def _stream(statement):
    """Yield plain tuples from a query fetched in batches."""
    for row in db.session.execute(statement.execution_options(yield_per=YIELD_PER)):
        yield tuple(row)


def load_events(start: date, end: date, window_days: int) -> Events:
    """Read the events the estimate of [start, end] needs: the period, and W days after it for outcomes."""
    since, until = _midnight(start), _midnight(end + timedelta(days=1))
    # Every "within W days" window of the period closes before this (see deflection.py).
    horizon = _midnight(end + timedelta(days=window_days + 1))
    session = db.session

    in_period = ThreadView.viewed_at >= since, ThreadView.viewed_at < until
    viewed = select(ThreadView.question_id).where(*in_period).distinct().scalar_subquery()
    posters = union(
        select(Question.id, Question.author_id).where(Question.id.in_(viewed)),
        select(Answer.question_id, Answer.author_id).where(Answer.question_id.in_(viewed)),
        select(Comment.question_id, Comment.author_id).where(Comment.question_id.in_(viewed)),
        select(Answer.question_id, Comment.author_id).join(Answer, Comment.answer_id == Answer.id)
        .where(Answer.question_id.in_(viewed)),
    )
    participants: dict = {}
    for question_id, user_id in session.execute(posters):
        participants.setdefault(question_id, set()).add(user_id)
    staff_ids = frozenset(session.scalars(select(User.id).where(User.role.in_(STAFF_ROLES))))

    answerer = User.__table__.alias("answerer")
    acceptances = [
        (question_id, answer_id, accepted_at, role in STAFF_ROLES, f"u:{asker_id}")
        for question_id, answer_id, accepted_at, role, asker_id in session.execute(
            select(Question.id, Answer.id, Answer.accepted_at, answerer.c.role, Question.author_id)
            .join(Answer, Question.accepted_answer_id == Answer.id)
            .join(answerer, answerer.c.id == Answer.author_id)
            .where(Answer.accepted_at.is_not(None), Answer.accepted_at < until)
            .order_by(Question.id))
    ]
    escalations = [
        (f"u:{author_id}", question_id, created_at)
        for author_id, question_id, created_at in session.execute(
            select(Question.author_id, Escalation.question_id, Escalation.created_at)
            .join(Question, Escalation.question_id == Question.id)
            .where(Escalation.created_at >= since, Escalation.created_at < horizon)
            .order_by(Escalation.id))
    ]
    resolved_by_staff = [tuple(row) for row in session.execute(
        select(Escalation.question_id, Escalation.resolved_at)
        .where(Escalation.resolved_at >= since, Escalation.resolved_at < until,
               Escalation.resolution.in_(STAFF_RESOLUTIONS)).order_by(Escalation.id))]
    solved_answers = [tuple(row) for row in session.execute(
        select(SolvedFeedback.visitor_key, SolvedFeedback.user_id, SolvedFeedback.question_id,
               SolvedFeedback.solved, SolvedFeedback.answered_at)
        .where(SolvedFeedback.answered_at >= since, SolvedFeedback.answered_at < until)
        .order_by(SolvedFeedback.id))]
    contact_answers = [tuple(row) for row in session.execute(
        select(ContactFeedback.visitor_key, ContactFeedback.user_id, ContactFeedback.question_id,
               ContactFeedback.source, ContactFeedback.answer, ContactFeedback.answered_at)
        .where(ContactFeedback.answered_at >= since, ContactFeedback.answered_at < until)
        .order_by(ContactFeedback.id))]
    ask_flows = [tuple(row) for row in session.execute(
        select(AskFlow.visitor_key, AskFlow.user_id, AskFlow.started_at, AskFlow.clicked_question_id,
               AskFlow.outcome, AskFlow.holdout)
        .where(AskFlow.started_at >= since, AskFlow.started_at < horizon).order_by(AskFlow.id))]

    # Last, so the stream is read while compute() runs: views are never all in memory.
    views = _stream(
        select(ThreadView.visitor_key, ThreadView.user_id, ThreadView.question_id, ThreadView.viewed_at,
               ThreadView.accepted_answer_id, ThreadView.viewer_role, ThreadView.ua_class, ThreadView.dwell_seconds)
        .where(*in_period).order_by(ThreadView.viewed_at))
    return Events(views=views, solved_answers=solved_answers, contact_answers=contact_answers, ask_flows=ask_flows,
                  escalations=escalations, acceptances=acceptances, resolved_by_staff=resolved_by_staff,
                  participants={q: frozenset(users) for q, users in participants.items()}, staff_ids=staff_ids)


FINAL_REPORTS_KEPT = 128


def deflection_report(start: date, end: date, today: date | None = None, *, cached: bool = True) -> dict:
    """Compute the deflection report of [start, end] (UTC days) from the stored events.

    A final period (W days past its end) gives the same report every time, so this
    process keeps the last FINAL_REPORTS_KEPT of them, keyed by period and configuration:
    the dashboard's trend charts then recompute only the provisional periods. A changed
    configuration is a different key; a restart empties the cache.
    """
    config = deflection_config()
    today = today or utcnow().date()
    key = (start, end, canonical_json(config))
    store = current_app.extensions.setdefault("deflection_reports", OrderedDict())
    cached = cached and today >= final_on(end, config)  # only a final period is ever kept
    if cached and key in store:
        store.move_to_end(key)
        return copy.deepcopy(store[key])
    events = load_events(start, end, int(config["window_days"]))
    report = compute(events, config, start, end, today)
    if cached:
        store[key] = copy.deepcopy(report)
        while len(store) > FINAL_REPORTS_KEPT:
            store.popitem(last=False)
    return report


def canonical_json(report: dict) -> str:
    """The report as byte-stable JSON: the same report always gives the same text."""
    return json.dumps(report, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _qualified_episodes(dwell_seconds: int):
    """Distinct (answer, visitor, UTC day) of outsiders' real views of solved threads."""
    return (
        select(ThreadView.accepted_answer_id.label("answer_id"), ThreadView.visitor_key,
               func.date(ThreadView.viewed_at).label("day"))
        .where(ThreadView.accepted_answer_id.is_not(None), ThreadView.viewer_role.is_(None),
               ThreadView.ua_class.in_(BROWSERS), ThreadView.dwell_seconds >= dwell_seconds)
        .distinct()
    )


def helped_counts(answer_ids) -> dict[int, int]:
    """People each accepted answer helped: qualified (visitor, day) episodes after its acceptance."""
    answer_ids = list(answer_ids)
    if not answer_ids:
        return {}
    dwell = int(deflection_config()["dwell_seconds"])
    episodes = _qualified_episodes(dwell).where(ThreadView.accepted_answer_id.in_(answer_ids)).subquery()
    rows = db.session.execute(select(episodes.c.answer_id, func.count()).group_by(episodes.c.answer_id))
    counts = dict.fromkeys(answer_ids, 0)
    counts.update({answer_id: count for answer_id, count in rows})
    return counts


def helped_total_for(user_id: int) -> int:
    """People helped by all of a member's answers while they were accepted."""
    dwell = int(deflection_config()["dwell_seconds"])
    mine = select(Answer.id).where(Answer.author_id == user_id).scalar_subquery()
    episodes = _qualified_episodes(dwell).where(ThreadView.accepted_answer_id.in_(mine)).subquery()
    return db.session.scalar(select(func.count()).select_from(episodes)) or 0


__all__ = ["canonical_json", "deflection_report", "helped_counts", "helped_total_for", "load_events",
           "period_bounds"]
