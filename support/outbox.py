"""Write side effects to the outbox inside a transaction; drain them after commit.

Handlers are idempotent (an index update by id, a live event a client may see twice),
so a crash between commit and drain only delays an effect: it never loses one.
"""

import logging
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from .database import after_commit
from .extensions import db
from .models import OutboxEvent
from .models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
CLAIM_SECONDS = 60
_handlers: dict = {}


def handler(topic):
    """Register the function that carries out outbox rows of one topic."""

    def decorate(fn):
        _handlers[topic] = fn
        return fn

    return decorate


def enqueue(topic: str, payload: dict) -> None:
    """Add a side effect to the current transaction's outbox."""
    db.session.add(OutboxEvent(topic=topic, payload=payload))


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: 2, 4, 8 ... seconds, at most an hour."""
    return timedelta(seconds=min(2 ** attempts, 3600))


def _claim(event_id: int) -> bool:
    now = utcnow()
    result = db.session.execute(
        update(OutboxEvent)
        .where(
            OutboxEvent.id == event_id,
            OutboxEvent.done_at.is_(None),
            (OutboxEvent.claimed_until.is_(None)) | (OutboxEvent.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=OutboxEvent.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def drain(limit: int = 500) -> dict:
    """Carry out pending outbox rows; return counts of done and failed rows."""
    done = failed = 0
    session = db.session
    session.rollback()
    ids = session.scalars(
        select(OutboxEvent.id)
        .where(OutboxEvent.done_at.is_(None), OutboxEvent.available_at <= utcnow())
        .order_by(OutboxEvent.id)
        .limit(limit)
    ).all()
    session.commit()
    for event_id in ids:
        if not _claim(event_id):
            continue  # another drainer has it
        row = session.get(OutboxEvent, event_id)
        fn = _handlers.get(row.topic)
        try:
            if fn is None:
                raise LookupError(f"no outbox handler for {row.topic!r}")
            fn(row.payload)
        except Exception as exc:  # a failing effect is logged and retried, never fatal
            session.rollback()
            row = session.get(OutboxEvent, event_id)
            log.warning("outbox %s (%s) failed, attempt %s: %s", event_id, row.topic, row.attempts, exc)
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.claimed_until = None
            if row.attempts >= MAX_ATTEMPTS:
                row.done_at = utcnow()  # gave up; last_error says why
            else:
                row.available_at = utcnow() + backoff(row.attempts)
            session.commit()
            failed += 1
            continue
        row.done_at = utcnow()
        row.claimed_until = None
        session.commit()
        done += 1
    return {"done": done, "failed": failed}


def pending_count() -> int:
    """Return how many outbox rows wait to be carried out."""
    return db.session.scalar(select(db.func.count()).where(OutboxEvent.done_at.is_(None)))


class _Drainer:
    """One background thread per process that drains when woken (embedded default)."""

    def __init__(self):
        self.wake = threading.Event()
        self.thread = None
        self.lock = threading.Lock()

    def kick(self, app):
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, args=(app,), name="outbox", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self, app):
        while True:
            self.wake.wait(timeout=5)
            self.wake.clear()
            try:
                with app.app_context():
                    while drain()["done"]:
                        pass
                    db.session.remove()
            except Exception:  # keep the thread alive: the next kick tries again
                log.exception("outbox drain failed")


_drainer = _Drainer()


@after_commit
def _kick_after_commit():
    app = current_app._get_current_object()
    if not app.config.get("OUTBOX_INLINE"):
        return
    if app.config.get("OUTBOX_SYNC"):
        drain()
    else:
        _drainer.kick(app)
