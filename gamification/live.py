"""What a member sees happen live: points and badge toasts, rank-ups, the leaderboard.

Receivers only add outbox rows inside the transaction; the handlers below run in the
outbox drain after commit, read the state as it is then, write the text in the
recipient's language and emit to their room. Every text field is plain text (the
client inserts it with textContent); nothing here carries user Markdown.
"""

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, bindparam, or_, select

from support.bulk import importing, rebuilding
from support.extensions import db, socketio
from support.models import User
from support.models.base import utcnow
from support.notify import notify
from support.outbox import enqueue, handler
from support.ranks import rank_for

from .badges import CATALOGUE
from .ledger import period_starts
from .models import LeaderboardEntry
from .rules import reason_label

BOARD_ROOM = "leaderboard"


def badge_granted(user_id: int, slug: str, tag_name: str | None) -> None:
    if rebuilding.get():
        return
    enqueue("live.badge", {"user_id": user_id, "badge": slug, "tag": tag_name})
    user = db.session.get(User, user_id)
    notify(user, "badge_earned", f"/users/{user_id}#badges", badge=slug, tag=tag_name)


def points_written(entry, before: int, after: int, tag_ids) -> None:
    """After a ledger write: a new rank is news; the member's toast (gains, not undos) and
    the boards they are on are refreshed by one outbox row."""
    if importing.get() or rebuilding.get():
        return
    if after > before and rank_for(after).slug != rank_for(before).slug:
        user = db.session.get(User, entry.user_id)
        notify(user, "rank_up", f"/users/{entry.user_id}", rank=rank_for(after).slug)
    gain = entry.delta > 0 and entry.reverses_id is None
    enqueue("live.points", {"user_id": entry.user_id, "tags": sorted(set(tag_ids)),
                            "delta": entry.delta if gain else None, "reason": entry.reason})


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


@handler("live.points")
def emit_points(payload: dict) -> None:
    user = db.session.get(User, int(payload["user_id"]))
    if user is None:
        return
    if payload.get("delta"):
        delta = int(payload["delta"])
        with force_locale(_locale(user)):
            text = _("+%(num)d points: %(reason)s", num=delta, reason=str(reason_label(payload["reason"])))
        socketio.emit("points", {"delta": delta, "reason": payload["reason"], "total": user.points,
                                 "rank": rank_for(user.points).slug, "text": text}, to=f"user:{user.id}")
    _emit_board(user, payload.get("tags", []))


@handler("live.badge")
def emit_badge(payload: dict) -> None:
    user = db.session.get(User, int(payload["user_id"]))
    info = CATALOGUE.get(payload["badge"])
    if user is None or info is None:
        return
    with force_locale(_locale(user)):
        name = str(info.name) + (f" · {payload['tag']}" if payload.get("tag") else "")
        text = _("New badge: %(name)s", name=name)
    socketio.emit("badge", {"badge": info.slug, "tier": info.tier, "tag": payload.get("tag"), "name": name,
                            "text": text, "url": f"/users/{user.id}#badges"}, to=f"user:{user.id}")


def _emit_board(user: User, tag_ids) -> None:
    """Send a member's current totals on every board this change touched (0 when off it)."""
    keys = [0, *[int(t) for t in tag_ids]]
    starts = period_starts(utcnow().date())
    rows = db.session.execute(_BOARD_ROWS, {"user_id": user.id, "tag_keys": keys, **starts}).all()
    boards = {f"{period}:{key}": 0 for period in starts for key in keys}
    boards.update({f"{period}:{key}": max(points, 0) for period, key, points in rows})
    socketio.emit("leaderboard", {"user_id": user.id, "name": user.shown_name, "url": f"/users/{user.id}",
                                  "boards": boards}, to=BOARD_ROOM)


_boards = LeaderboardEntry.__table__
# Built once: the drain runs it for every vote, and building it cost more than running it.
_BOARD_ROWS = select(_boards.c.period, _boards.c.tag_key, _boards.c.points).where(
    _boards.c.user_id == bindparam("user_id"),
    _boards.c.tag_key.in_(bindparam("tag_keys", expanding=True)),
    or_(*(and_(_boards.c.period == period, _boards.c.period_start == bindparam(period))
          for period in period_starts(utcnow().date()))),
)
