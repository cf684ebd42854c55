"""Ask flows: what a visitor saw and did while writing a question (for deflection)."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from support.extensions import db
from support.models.base import UTCDateTime, utcnow

OUTCOMES = ("posted", "abandoned")


class AskFlow(db.Model):
    """One visit to the ask page; outcome stays null until posted (null later means abandoned)."""

    __tablename__ = "ask_flows"
    __table_args__ = (Index("ix_ask_flows_visitor_started", "visitor_key", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    suggestions_shown: Mapped[list] = mapped_column(JSON, default=list)
    clicked_question_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(16))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    holdout: Mapped[bool] = mapped_column(Boolean, default=False)
