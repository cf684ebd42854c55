"""Admin settings: read with defaults, written by administrators only."""

from ..database import transactional
from ..extensions import db
from ..models import Setting
from ..permissions import require


def get_setting(key: str, default=None):
    """Return a stored setting, or the default when an admin never set it.

    Read once per transaction: hot paths (every vote asks for the points table) then cost
    no query, and a change an admin saves is seen by the next transaction.
    """
    session = db.session()
    transaction = session.get_transaction()
    cache = session.info.get("settings_cache")
    if cache is None or cache[0] is not transaction:
        cache = session.info["settings_cache"] = (transaction, {})
    values = cache[1]
    if key not in values:
        row = session.get(Setting, key)
        values[key] = None if row is None else row.value
    return default if values[key] is None else values[key]


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
