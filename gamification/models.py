"""The points ledger, badge grants and the aggregates derived from them."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from support.extensions import db
from support.models.base import UTCDateTime, utcnow


class PointsEntry(db.Model):
    """One change of one member's points. Append-only: never updated, never deleted."""

    __tablename__ = "points_ledger"
    __table_args__ = (
        Index("ix_points_ledger_user_created", "user_id", "created_at"),
        Index("ix_points_ledger_source", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(40))
    source_type: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Points from votes count toward the daily cap on this UTC day (I4).
    cap_day: Mapped[date | None] = mapped_column(Date)
    # A one-shot award's identity: a replayed event can never award twice (I1).
    award_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # A reversing row points at the row it undoes; a row is undone at most once (I6).
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("points_ledger.id"), unique=True)

    user = relationship("User", foreign_keys=[user_id])


class BadgeAward(db.Model):
    __tablename__ = "badge_awards"
    __table_args__ = (
        # Granted once per member (per tag for tag badges; tag_key is 0 otherwise).
        UniqueConstraint("user_id", "badge", "tag_key", name="uq_badge_awards_once"),
        Index("ix_badge_awards_badge", "badge"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    badge: Mapped[str] = mapped_column(String(40))
    tag_key: Mapped[int] = mapped_column(Integer, default=0)
    tag_name: Mapped[str | None] = mapped_column(String(32))
    source_type: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(Integer)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeaderboardEntry(db.Model):
    """A member's points in one period (week, month, all time), overall or in one tag.

    Kept up to date with every ledger row, so a board is an index range scan, never a
    scan of the ledger. `reached_at` breaks ties: who got to the score first ranks higher.
    """

    __tablename__ = "leaderboard"

    period: Mapped[str] = mapped_column(String(5), primary_key=True)  # week, month, all
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    tag_key: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 = overall
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    points: Mapped[int] = mapped_column(Integer, default=0)
    reached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Board order (points down, then earliest) straight from the index: a top-N read stops early.
Index(
    "ix_leaderboard_board",
    LeaderboardEntry.period,
    LeaderboardEntry.period_start,
    LeaderboardEntry.tag_key,
    LeaderboardEntry.points.desc(),
    LeaderboardEntry.reached_at,
)


class DailyVotePoints(db.Model):
    """Points a member earned from votes on one UTC day: the cap is checked against it."""

    __tablename__ = "daily_vote_points"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    points: Mapped[int] = mapped_column(Integer, default=0)


class SegmentSnapshot(db.Model):
    """How many members were Creators, Contributors and Viewers on a day (rolling 90 days)."""

    __tablename__ = "segment_snapshots"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    creators: Mapped[int] = mapped_column(Integer, default=0)
    contributors: Mapped[int] = mapped_column(Integer, default=0)
    viewers: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(db.Model):
    """What an automatic job or an admin did, and why (e.g. serial votes reversed)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
