"""The caller's notifications: the list behind the bell, and marking them read."""

from flask import request
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import notify
from ..services.validation import is_id
from . import bp
from .auth import caller, login_required
from .parsing import Malformed, json_body
from .serializers import notification_json


def _limit(default=50, maximum=100) -> int:
    # Lenient like page_args: nonsense falls back to the default.
    try:
        return min(max(int(request.args.get("limit", default)), 1), maximum)
    except (TypeError, ValueError):
        return default


def _ids() -> list[int] | None:
    """Return the ids of {"ids": [..]}, or None (all) when the body has none."""
    json_body()  # 400 unless the body is empty or a JSON object
    ids = (request.get_json(force=True, silent=True) or {}).get("ids")
    if ids is None:
        return None
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise Malformed(_("Some fields have the wrong type."), fields={"ids": _("Must be a list of whole numbers.")})
    # An id no row can have matches nothing; leaving it out keeps huge numbers away from the database.
    return [i for i in ids if is_id(i)]


@bp.get("/notifications")
@login_required
def notifications():
    """List the caller's latest notifications, newest first, in the caller's language."""
    user = caller()
    locale = str(get_locale())
    return {
        "unread": notify.unread_count(user.id),
        "items": [notification_json(note, locale) for note in notify.recent(user.id, _limit())],
    }


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark the caller's notifications read: the given ids, or all of them."""
    return {"marked": notify.mark_read(caller().id, _ids())}
