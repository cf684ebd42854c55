"""Bulk imports (the demo seed, a migration from another forum): derived stores once, at the end.

Inside `bulk_import()` the facts and the points ledger are written event by event as
usual, but work that only derives from them waits: badge checks, leaderboard updates,
the search index and live events (nobody is watching an import). When the import has
committed, each package's finisher rebuilds its store from the facts in one pass.
"""

from contextlib import contextmanager
from contextvars import ContextVar

importing: ContextVar[bool] = ContextVar("bulk_importing", default=False)
# Set while derived stores are rebuilt (`gamification recompute`): what a rebuild grants
# again or newly is history, not news, so nobody is notified of it.
rebuilding: ContextVar[bool] = ContextVar("rebuilding", default=False)
_finishers: list = []


def on_import_end(fn):
    """Register a function that rebuilds a derived store after a bulk import."""
    if fn not in _finishers:
        _finishers.append(fn)
    return fn


@contextmanager
def quietly():
    """Rebuild without notifying anyone."""
    token = rebuilding.set(True)
    try:
        yield
    finally:
        rebuilding.reset(token)


@contextmanager
def bulk_import():
    """Defer derived work while the block runs; rebuild it once the block is over."""
    token = importing.set(True)
    try:
        yield
    finally:
        importing.reset(token)
    for finish in _finishers:
        finish()
