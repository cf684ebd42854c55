"""Questions, answers, comments, votes, tags and revisions."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

question_tags = Table(
    "question_tags",
    db.metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

ONE_TARGET = "(question_id IS NULL) <> (answer_id IS NULL)"


class Tag(db.Model):
    __tablename__ = "tags"
    # The sidebar's most used tags straight from the index, never an aggregate over question_tags.
    __table_args__ = (Index("ix_tags_question_count", "question_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    # Cache of how many visible questions carry the tag, kept by the services that ask,
    # retag and delete questions (services/tags.py); `flask doctor` checks it.
    question_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def __repr__(self):
        return f"<Tag {self.name}>"


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        # The lists' sort orders over visible questions only: a page, and the OFFSET walk to
        # a deep page, read these index entries and skip no deleted row through the table.
        Index("ix_questions_activity", "last_activity_at", "id",
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
        Index("ix_questions_created", "created_at"),
        Index("ix_questions_score", "score", "id",
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
        # Only solved questions: the lists' "accepted_answer_id IS NULL" filters (open,
        # answered) can then never pick this index over the sort's own (SQLite has no
        # statistics to tell it that NULL is the common value).
        Index("ix_questions_accepted_answer_id", "accepted_answer_id",
              sqlite_where=text("accepted_answer_id IS NOT NULL"),
              postgresql_where=text("accepted_answer_id IS NOT NULL")),
        # The few questions with support: the "escalated" list reads them, not the table.
        Index("ix_questions_escalated", "is_escalated",
              sqlite_where=text("is_escalated = 1"), postgresql_where=text("is_escalated")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="it")
    score: Mapped[int] = mapped_column(Integer, default=0)
    answer_count: Mapped[int] = mapped_column(Integer, default=0)
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answers.id", use_alter=True, ondelete="SET NULL")
    )
    # Set while an escalation to staff is open (see the staff issue).
    is_escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Goes up with every change the thread's page shows (support/pagecache.py): a kept
    # page of the thread is current while it has not moved.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author = relationship("User", lazy="joined", innerjoin=True)
    tags = relationship(Tag, secondary=question_tags, lazy="selectin", order_by=Tag.name)
    answers = relationship(
        "Answer",
        back_populates="question",
        foreign_keys="Answer.question_id",
        lazy="select",
    )

    @property
    def status(self) -> str:
        if self.is_escalated:
            return "escalated"
        if self.accepted_answer_id:
            return "solved"
        if self.answer_count:
            return "answered"
        return "open"

    def __repr__(self):
        return f"<Question {self.id} {self.title[:30]!r}>"


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_question_score", "question_id", "score"),
        # A member's answers newest first, with what the profile filters and counts on:
        # its recent answers and its answer counts read this index, not the table.
        Index("ix_answers_author_recent", "author_id", "created_at", "deleted_at", "accepted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="it")
    score: Mapped[int] = mapped_column(Integer, default=0)
    is_official: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author = relationship("User", lazy="joined", innerjoin=True)
    question = relationship(Question, back_populates="answers", foreign_keys=[question_id])

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def __repr__(self):
        return f"<Answer {self.id} on {self.question_id}>"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (CheckConstraint(ONE_TARGET, name="one_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author = relationship("User", lazy="joined", innerjoin=True)


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        # A double click or a retry can never make a second vote (invariant I1).
        UniqueConstraint("voter_id", "question_id", name="uq_votes_voter_question"),
        UniqueConstraint("voter_id", "answer_id", name="uq_votes_voter_answer"),
        CheckConstraint(ONE_TARGET, name="one_target"),
        CheckConstraint("value IN (-1, 1)", name="value_pm1"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Revision(db.Model):
    """One version of a post; number 1 is the original, kept for the history page."""

    __tablename__ = "revisions"
    __table_args__ = (CheckConstraint(ONE_TARGET, name="one_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor = relationship("User", lazy="joined", innerjoin=True)
