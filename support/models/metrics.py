"""The events the deflection estimate is computed from (../shared/design/DEFLECTION.md).

Each is written by one insert (or one upsert for answers where "the last one wins") and
never updated by a read path. Bots are rejected before anything is written.
"""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow

VIEWER_ROLES = ("author", "answerer", "staff")  # null: an outsider, the only kind that counts
CONTACT_ANSWERS = ("yes", "no", "not_sure")
CONTACT_SOURCES = ("reader", "asker")


class ThreadView(db.Model):
    """A view of a thread confirmed by the page's beacon after `T_dwell` seconds visible."""

    __tablename__ = "thread_views"
    __table_args__ = (
        Index("ix_thread_views_viewed", "viewed_at"),
        Index("ix_thread_views_question_viewed", "question_id", "viewed_at"),
        Index("ix_thread_views_answer", "accepted_answer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    # "u:<member id>" or "c:<first-party cookie id>" (search.flows.visitor_key).
    visitor_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The answer accepted when the view happened (null: the thread was not solved yet).
    accepted_answer_id: Mapped[int | None] = mapped_column(Integer)
    # author / answerer / staff when the viewer was an insider at that moment, else null.
    viewer_role: Mapped[str | None] = mapped_column(String(10))
    # browser or mobile (known bots never get here; "other" is kept and filtered later).
    ua_class: Mapped[str] = mapped_column(String(10))
    dwell_seconds: Mapped[int] = mapped_column(SmallInteger)

    @property
    def solved(self) -> bool:
        return self.accepted_answer_id is not None


class SolvedFeedback(db.Model):
    """ "Did this solve your problem?" on a solved thread: one per visitor per thread, the last one wins."""

    __tablename__ = "solved_feedback"
    __table_args__ = (
        UniqueConstraint("question_id", "visitor_key", name="uq_solved_feedback_once"),
        Index("ix_solved_feedback_answered", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    visitor_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    solved: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContactFeedback(db.Model):
    """ "Without this answer, would you have contacted support?" from a reader (after a yes) or the asker."""

    __tablename__ = "contact_feedback"
    __table_args__ = (
        UniqueConstraint("question_id", "visitor_key", "source", name="uq_contact_feedback_once"),
        Index("ix_contact_feedback_answered", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    visitor_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(6))  # reader or asker
    answer: Mapped[str] = mapped_column(String(8))  # yes, no or not_sure
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
