"""Admin settings: read with defaults, written by administrators only."""

from sqlalchemy import select

from ..database import transactional
from ..extensions import db
from ..models import Setting
from ..permissions import require


def get_setting(key: str, default=None):
    """Return a stored setting, or the default when an admin never set it.

    All settings (a handful of rows) are read in one query once per transaction: hot
    paths (every vote asks for the points table and the daily cap) then cost no further
    query, and a change an admin saves is seen by the next transaction.
    """
    session = db.session()
    transaction = session.get_transaction()
    cache = session.info.get("settings_cache")
    if cache is None or cache[0] is not transaction:
        cache = session.info["settings_cache"] = (transaction, dict(session.execute(_ALL).all()))
    value = cache[1].get(key)
    return default if value is None else value


_ALL = select(Setting.__table__.c.key, Setting.__table__.c.value)


@transactional
def set_setting(actor, key: str, value) -> None:
    """Store a setting (administrators only)."""
    require(actor, "admin")
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value, updated_by_id=actor.id))
    else:
        row.value = value
        row.updated_by_id = actor.id
    db.session.info.pop("settings_cache", None)
