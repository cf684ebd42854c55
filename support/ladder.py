"""The escalation ladder: unanswered questions go to experts after T1, unsolved ones to staff after T2.

`sla_tick()` advances every question that is due by one rung. Each rung is recorded in
`ladder_steps` under a unique constraint, so running the tick twice, or in two processes
at once, changes nothing the second time. The embedded default runs it in a background
thread every minute; scaled out, `flask support sla-tick --every 60` is its own process.
"""

import logging
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from .database import transactional
from .extensions import db
from .models import Escalation, LadderStep, Question, User
from .models.base import utcnow
from .notify import notify, question_path
from .permissions import PRIVILEGE_POINTS
from .sla import expert_after, escalate_after, ladder_settings

log = logging.getLogger(__name__)
EXPERTS_PER_QUESTION = 25


def _not_done(step):
    return ~exists().where(LadderStep.question_id == Question.id, LadderStep.step == step)


def _never_escalated():
    # A thread staff have had (even if they resolved it since) is off the ladder for good.
    return ~exists().where(Escalation.question_id == Question.id)


def _due(step, older_than, unanswered_only, limit):
    now = utcnow()
    window_start = now - timedelta(days=ladder_settings()["window_days"])
    stmt = select(Question.id).where(
        Question.deleted_at.is_(None),
        Question.accepted_answer_id.is_(None),
        Question.is_escalated.is_(False),
        Question.created_at <= now - older_than,
        Question.created_at >= window_start,
        _not_done(step),
        _never_escalated(),
    )
    if unanswered_only:
        stmt = stmt.where(Question.answer_count == 0)
    return db.session.scalars(stmt.order_by(Question.created_at).limit(limit)).all()


def _was_escalated(question_id) -> bool:
    return db.session.scalar(select(Escalation.id).where(Escalation.question_id == question_id).limit(1)) is not None


def _record_step(question_id, step) -> bool:
    """Claim a rung for this question; False when another tick already took it."""
    try:
        with db.session.begin_nested():
            db.session.add(LadderStep(question_id=question_id, step=step))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def experts_for(question) -> list[User]:
    """Members who know the subject: Expert rank or better, or a badge in one of the question's tags."""
    from gamification.models import BadgeAward

    threshold = current_app.config.get("PRIVILEGE_POINTS", {}).get("expert_queue", PRIVILEGE_POINTS["expert_queue"])
    tag_names = [t.name for t in question.tags]
    tag_badge = select(BadgeAward.user_id).where(BadgeAward.tag_name.in_(tag_names)) if tag_names else None
    condition = User.points >= threshold
    if tag_badge is not None:
        condition = or_(condition, User.id.in_(tag_badge))
    return db.session.scalars(
        select(User).where(condition, User.id != question.author_id, User.role == "member",
                           User.is_active_account.is_(True))
        .order_by(User.points.desc(), User.id).limit(EXPERTS_PER_QUESTION)
    ).all()


@transactional
def offer_to_experts(question_id) -> int | None:
    """Rung 1: tell the experts about an unanswered question; return how many were told.

    None when another tick already passed this rung for the question.
    """
    question = db.session.scalar(select(Question).where(Question.id == question_id).with_for_update())
    if question is None or not _record_step(question.id, "experts"):
        return None
    if question.deleted_at is not None or question.answer_count or question.is_escalated or _was_escalated(question.id):
        return 0  # answered meanwhile: the rung is passed without bothering anyone
    url = question_path(question.id)
    experts = experts_for(question)
    for expert in experts:
        notify(expert, "expert_offer", url, title=question.title)
    return len(experts)


@transactional
def escalate_to_staff(question_id) -> bool:
    """Rung 2: hand a still unsolved question to staff; return whether an escalation opened."""
    from .services.escalations import escalate

    question = db.session.scalar(select(Question).where(Question.id == question_id).with_for_update())
    if question is None or not _record_step(question.id, "staff"):
        return False
    if question.deleted_at is not None or question.accepted_answer_id or _was_escalated(question.id):
        return False
    escalate(None, question.id, "")
    return True


def sla_tick(limit: int = 500) -> dict:
    """Advance the ladder once for every question that is due; return what happened."""
    offered = escalated = 0
    for question_id in _due("experts", expert_after(), True, limit):
        offered += offer_to_experts(question_id) is not None
    for question_id in _due("staff", escalate_after(), False, limit):
        escalated += escalate_to_staff(question_id)
    db.session.rollback()
    return {"offered": offered, "escalated": escalated}


class _Scheduler:
    """The embedded default's clock: one daemon thread per process that ticks every minute."""

    def __init__(self):
        self.thread = None
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def start(self, app):
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.thread = threading.Thread(target=self._run, args=(app,), name="sla-tick", daemon=True)
            self.thread.start()

    def _run(self, app):
        interval = float(app.config.get("SLA_TICK_SECONDS", 60))
        while not self.stop.wait(interval):
            try:
                with app.app_context():
                    result = sla_tick()
                    if result["offered"] or result["escalated"]:
                        log.info("sla-tick: %s", result)
                    db.session.remove()
            except Exception:  # keep ticking: the next minute tries again
                log.exception("sla-tick failed")


scheduler = _Scheduler()


def init_app(app):
    """Start the embedded scheduler with the first request (never when only wiring the app)."""
    if not app.config.get("SLA_INLINE"):
        return

    @app.before_request
    def _start_scheduler():
        scheduler.start(app)
