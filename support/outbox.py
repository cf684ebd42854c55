"""Write side effects to the outbox inside a transaction; drain them after commit.

Handlers are idempotent (an index update by id, a live event a client may see twice),
so a crash between commit and drain only delays an effect: it never loses one.
"""

import logging
import secrets
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import insert, select, update

from .bulk import importing
from .database import after_commit, write_transaction
from .extensions import db
from .models import OutboxEvent
from .models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
CLAIM_SECONDS = 60
_handlers: dict = {}
_batched: set = set()


def handler(topic, *, batch=False):
    """Register the function that carries out outbox rows of one topic.

    A `batch` handler gets the payloads of all the rows of its topic a drain claimed, as
    one list (a search index commits once for fifty votes instead of fifty times); they
    succeed or are retried together.
    """

    def decorate(fn):
        _handlers[topic] = fn
        if batch:
            _batched.add(topic)
        return fn

    return decorate


def enqueue(topic: str, payload: dict) -> None:
    """Add a side effect to the current transaction's outbox.

    A plain INSERT, built once: every vote writes outbox rows, and the ORM's unit of
    work would cost several times the statement itself.
    """
    if importing.get():
        return  # a bulk import rebuilds derived stores at the end and notifies nobody
    now = utcnow()
    db.session.execute(_INSERT, {"topic": topic, "payload": payload, "created_at": now, "available_at": now,
                                 "attempts": 0})


_INSERT = insert(OutboxEvent.__table__)


def backoff(attempts: int) -> timedelta:
    """Wait before retry number `attempts`: 2, 4, 8 ... seconds, at most an hour."""
    return timedelta(seconds=min(2 ** attempts, 3600))


def _claim(limit: int) -> list[tuple[int, str, dict, int]]:
    """Take up to `limit` due rows for this drainer; return (id, topic, payload, attempts)."""
    now = utcnow()
    token = secrets.token_hex(16)
    with write_transaction() as session:
        due = (
            select(OutboxEvent.id)
            .where(
                OutboxEvent.done_at.is_(None),
                OutboxEvent.available_at <= now,
                (OutboxEvent.claimed_until.is_(None)) | (OutboxEvent.claimed_until < now),
            )
            .order_by(OutboxEvent.id)
            .limit(limit)
        )
        ids = session.scalars(due).all()
        if not ids:
            return []
        session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id.in_(ids), (OutboxEvent.claimed_until.is_(None)) | (OutboxEvent.claimed_until < now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), claim_token=token,
                    attempts=OutboxEvent.attempts + 1)
        )
        rows = session.execute(
            select(OutboxEvent.id, OutboxEvent.topic, OutboxEvent.payload, OutboxEvent.attempts)
            .where(OutboxEvent.claim_token == token).order_by(OutboxEvent.id)
        ).all()
        return [tuple(row) for row in rows]


def _finish(done_ids: list[int], failures: list[tuple[int, str, int]]) -> None:
    now = utcnow()
    with write_transaction() as session:
        if done_ids:
            session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_(done_ids))
                .values(done_at=now, claimed_until=None, claim_token=None)
            )
        for event_id, error, attempts in failures:
            values = {"claimed_until": None, "claim_token": None, "last_error": error[:2000]}
            if attempts >= MAX_ATTEMPTS:
                values["done_at"] = now  # gave up; last_error says why
            else:
                values["available_at"] = now + backoff(attempts)
            session.execute(update(OutboxEvent).where(OutboxEvent.id == event_id).values(**values))


def drain(limit: int = 200) -> dict:
    """Carry out due outbox rows; return counts of done and failed rows.

    A batch is claimed in one short write transaction and finished in another; the
    handlers run outside any transaction, so a slow effect never holds a database lock.
    """
    claimed = _claim(limit)
    done, failures = [], []
    # One group per batched topic, at its first row's place; every other row on its own.
    groups = {}
    for row in claimed:
        key = ("topic", row[1]) if row[1] in _batched else ("row", row[0])
        groups.setdefault(key, []).append(row)
    for rows in groups.values():
        topic = rows[0][1]
        fn = _handlers.get(topic)
        try:
            if fn is None:
                raise LookupError(f"no outbox handler for {topic!r}")
            if topic in _batched:
                fn([row[2] for row in rows])
            else:
                fn(rows[0][2])
        except Exception as exc:  # a failing effect is logged and retried, never fatal
            db.session.rollback()
            for event_id, _topic, _payload, attempts in rows:
                log.warning("outbox %s (%s) failed, attempt %s: %s", event_id, topic, attempts, exc)
                failures.append((event_id, f"{type(exc).__name__}: {exc}", attempts))
        else:
            done.extend(row[0] for row in rows)
    if claimed:
        _finish(done, failures)
    return {"done": len(done), "failed": len(failures)}


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
