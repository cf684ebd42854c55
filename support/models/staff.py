"""Escalations to support staff, their private notes, the ladder, CSAT and the helpdesk webhook."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

ESCALATION_STATUSES = ("open", "assigned", "resolved")
ESCALATION_SOURCES = ("asker", "staff", "sla")
RESOLUTIONS = ("community_answer", "staff_answer", "outside")
_NOT_RESOLVED = text("status <> 'resolved'")


class Escalation(db.Model):
    """A thread handed to support staff. At most one is unresolved per question (I5)."""

    __tablename__ = "escalations"
    __table_args__ = (
        # The database itself refuses a second unresolved escalation of one thread, so
        # parallel "I still need help" clicks can never open two.
        Index("uq_escalations_one_open", "question_id", unique=True,
              sqlite_where=_NOT_RESOLVED, postgresql_where=_NOT_RESOLVED),
        Index("ix_escalations_status_due", "status", "sla_due_at"),
        CheckConstraint("status IN ('open', 'assigned', 'resolved')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    source: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    sla_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    question = relationship("Question", lazy="joined", innerjoin=True)
    assignee = relationship("User", foreign_keys=[assignee_id], lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])

    def breached(self, now: datetime) -> bool:
        """Past its due time: still unresolved, or resolved late."""
        return (self.resolved_at or now) > self.sla_due_at

    def __repr__(self):
        return f"<Escalation {self.id} q{self.question_id} {self.status}>"


class EscalationEvent(db.Model):
    """The timeline of an escalation: created, assigned, resolved, noted (who and when)."""

    __tablename__ = "escalation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str | None] = mapped_column(String(10))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
    assignee = relationship("User", foreign_keys=[assignee_id], lazy="joined")


class StaffNote(db.Model):
    """A private note on a thread: staff read and write them, members never see them."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="joined", innerjoin=True)


class LadderStep(db.Model):
    """A rung of the escalation ladder a question has passed: done once, whoever runs the tick."""

    __tablename__ = "ladder_steps"
    __table_args__ = (UniqueConstraint("question_id", "step", name="uq_ladder_steps_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(10))  # "experts" or "staff"
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CsatResponse(db.Model):
    """The asker's answer to "How satisfied are you?", once per solved thread or resolved escalation."""

    __tablename__ = "csat_responses"
    __table_args__ = (
        UniqueConstraint("user_id", "subject", name="uq_csat_once"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_1_to_5"),
        Index("ix_csat_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"))
    # "question:<id>" after a thread is solved, "escalation:<id>" after staff resolve one.
    subject: Mapped[str] = mapped_column(String(40))
    # The staff member who owned the escalation, for CSAT per staff member.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(db.Model):
    """One escalation event for the helpdesk; each POST of it is a WebhookAttempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="SET NULL"), index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt_log = relationship("WebhookAttempt", order_by="WebhookAttempt.id", lazy="select")


class WebhookAttempt(db.Model):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
