"""Members, their preferences and their API tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

ROLES = ("member", "staff", "admin")
CONTACT_CHANNELS = ("email", "sms", "in_app")

user_followed_tags = Table(
    "user_followed_tags",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32))
    # Lower-cased username: uniqueness is case-insensitive on every database.
    username_key: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="member")
    display_name: Mapped[str | None] = mapped_column(String(64))
    bio: Mapped[str | None] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(5))
    contact_channel: Mapped[str] = mapped_column(String(10), default="in_app")
    phone: Mapped[str | None] = mapped_column(String(32))
    # Cache of the member's points (the ledger is the truth, see gamification).
    points: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped on password change: every other session and token stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Last sign-in (page or API token), for the Viewer segment; never written on a read.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Loaded when used (settings, home page), not with every member: users are loaded on every request.
    followed_tags = relationship("Tag", secondary=user_followed_tags, lazy="select", order_by="Tag.name")

    @property
    def is_active(self):
        return self.is_active_account

    def get_id(self):
        # The session remembers the version too, so a password change logs out other sessions.
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    def __repr__(self):
        return f"<User {self.username}>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the token: a leaked database does not leak usable tokens.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user = relationship(User)
