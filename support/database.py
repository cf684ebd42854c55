"""Engine set-up and the one transaction helper every service uses."""

import functools
from contextlib import contextmanager
import logging
import time
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError

from .extensions import db

log = logging.getLogger(__name__)

# True while a service runs: SQLite then opens its transaction with BEGIN IMMEDIATE, so a
# read-then-write transaction takes the write lock up front instead of failing with BUSY.
_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)
_in_service: ContextVar[bool] = ContextVar("in_service", default=False)
_after_commit_hooks = []

RETRYABLE_PG_CODES = {"40001", "40P01"}  # serialization failure, deadlock


def configure_engine(engine):
    """Apply the per-connection settings the embedded SQLite default needs."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take BEGIN into our own hands (SQLAlchemy's pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


@contextmanager
def write_transaction():
    """Run a block as one short write transaction of its own (BEGIN IMMEDIATE on SQLite)."""
    session = db.session
    session.rollback()
    token = _write_intent.set(True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_intent.reset(token)


def after_commit(hook):
    """Register a function called after every successful service commit."""
    _after_commit_hooks.append(hook)
    return hook


def _retryable(exc: Exception) -> bool:
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in RETRYABLE_PG_CODES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def transactional(fn):
    """Run a service in one transaction: commit once on success, roll back on any error.

    Nested calls join the outer transaction. Deadlocks and serialization failures are
    retried a few times; everything the service wrote is then written again from scratch.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _in_service.get():
            return fn(*args, **kwargs)
        session = db.session
        attempts = 3
        for attempt in range(1, attempts + 1):
            # End any read transaction the view opened, so ours starts fresh (and IMMEDIATE).
            session.rollback()
            tokens = (_in_service.set(True), _write_intent.set(True))
            try:
                result = fn(*args, **kwargs)
                session.commit()
            except DBAPIError as exc:
                session.rollback()
                if attempt < attempts and _retryable(exc):
                    log.warning("retrying %s after %s", fn.__name__, exc.orig)
                    time.sleep(0.02 * attempt)
                    continue
                raise
            except BaseException:
                session.rollback()
                raise
            finally:
                _write_intent.reset(tokens[1])
                _in_service.reset(tokens[0])
            for hook in _after_commit_hooks:
                hook()
            return result

    return wrapper
