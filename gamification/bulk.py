"""Bulk imports (the demo seed, migrations from another forum): rebuild once at the end.

Inside `bulk_import()` the points ledger is written row by row as usual, but badge checks
and leaderboard updates wait; on leaving, `recompute()` builds both from the facts, which
is what it would compute anyway, at a fraction of the cost of doing it per event.
"""

from contextlib import contextmanager

from .badges import deferred
from .recompute import recompute


@contextmanager
def bulk_import():
    """Defer badges and leaderboards while the block runs, then rebuild them."""
    token = deferred.set(True)
    try:
        yield
    finally:
        deferred.reset(token)
    recompute()
