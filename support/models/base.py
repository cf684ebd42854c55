"""Column helpers shared by the models."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# Set only while the demo seed replays months of history, so every row the services and
# their event receivers write (posts, votes, ledger, badges) carries the replayed moment.
# A context variable: requests and other threads never see it.
_replayed_now: ContextVar[datetime | None] = ContextVar("replayed_now", default=None)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return _replayed_now.get() or datetime.now(UTC)


@contextmanager
def clock_at(moment: datetime):
    """Make utcnow() return `moment` inside the block (used by the demo seed)."""
    token = _replayed_now.set(moment)
    try:
        yield
    finally:
        _replayed_now.reset(token)


class UTCDateTime(TypeDecorator):
    """A timestamp stored naive in UTC and always read back timezone-aware.

    SQLite keeps no time zone; PostgreSQL would convert to the session zone. Storing
    naive UTC on both and attaching UTC on the way out gives one behaviour everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
