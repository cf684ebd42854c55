"""Small helpers shared by the staff service tests (not fixtures: plain functions)."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from support.extensions import db
from support.models import Escalation, EscalationEvent, Notification, StaffNote
from support.notify import RecordingSender

from ..parallel import run_parallel  # noqa: F401  (re-exported for the staff tests)

# A Monday morning; every test moves the clock from here with clock_at.
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def outgoing() -> list:
    """What the recording sender sent (emails and SMS), in order."""
    return RecordingSender.sent


def clear_outgoing() -> None:
    RecordingSender.sent.clear()


def notifications(user_id, kind=None) -> list[Notification]:
    db.session.rollback()
    stmt = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return db.session.scalars(stmt).all()


def escalations_of(question_id) -> list[Escalation]:
    db.session.rollback()
    return db.session.scalars(
        select(Escalation).where(Escalation.question_id == question_id).order_by(Escalation.id)
    ).all()


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def snapshot(escalation_id) -> tuple:
    """Everything a refused change must leave as it was."""
    db.session.rollback()
    escalation = db.session.get(Escalation, escalation_id)
    return (
        escalation.status, escalation.assignee_id, escalation.resolved_at, escalation.resolution,
        escalation.question.is_escalated,
        count(StaffNote, StaffNote.question_id == escalation.question_id),
        count(EscalationEvent, EscalationEvent.escalation_id == escalation_id),
    )
