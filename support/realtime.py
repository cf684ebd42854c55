"""Live events: Socket.IO connections, rooms, and the Q&A events of a question page.

Domain events only write outbox rows; emits happen only in outbox handlers (here, in
support.notify and in gamification.live), after commit, so a client never sees
something that was rolled back. Rooms: `question:<id>` and `leaderboard` are public and
joined by asking; `user:<id>` and `staff` are joined by the server at connect, from the
session or the bearer token, and never on request.
"""

import threading
import time

from flask import request
from flask_login import current_user
from flask_socketio import disconnect, join_room, leave_room

from . import events
from .errors import NotFound
from .extensions import socketio
from .outbox import enqueue, handler
from .services.posts import get_question


def _live(room: str, event: str, data: dict) -> None:
    enqueue("live", {"room": room, "event": event, "data": data})


@handler("live")
def emit_live(payload: dict) -> None:
    """Carry out a "live" outbox row: emit the event to its room."""
    socketio.emit(payload["event"], payload["data"], to=payload["room"])


def _connected_user(auth):
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        from .services.accounts import user_for_token

        return user_for_token(auth["token"]) or False
    return current_user if current_user.is_authenticated else None


def same_origin(origin, environ) -> bool:
    """Socket.IO's origin check: only pages of this site may open a live connection.

    The site is the scheme and host of the request as the app sees it: behind a trusted
    proxy (TRUSTED_PROXIES) ProxyFix has already put the forwarded ones there; raw
    X-Forwarded-* headers from anyone else are not believed.
    """
    return origin == f"{environ.get('wsgi.url_scheme')}://{environ.get('HTTP_HOST')}"


class Throttle:
    """Per-connection budget of client events: `limit` per `window` seconds.

    Events over the budget are refused; a client that stays over it for `strikes`
    windows in a row is disconnected. Budgets live in the process that holds the
    connection (connections are sticky), so no shared store is needed.
    """

    def __init__(self, limit: int, window: float, strikes: int = 3):
        self.limit, self.window, self.strikes = limit, window, strikes
        self._lock = threading.Lock()
        self._state: dict[str, list] = {}  # sid -> [window start, events, strikes]

    def allow(self, sid: str, now: float | None = None) -> bool | None:
        """True: go on. False: refuse this event. None: disconnect the client."""
        now = time.monotonic() if now is None else now
        with self._lock:
            state = self._state.setdefault(sid, [now, 0, 0])
            if now - state[0] >= self.window:
                if state[1] <= self.limit:  # a calm window forgives earlier strikes
                    state[2] = 0
                state[0], state[1] = now, 0
            state[1] += 1
            if state[1] <= self.limit:
                return True
            if state[1] == self.limit + 1:
                state[2] += 1
            return None if state[2] >= self.strikes else False

    def forget(self, sid: str) -> None:
        with self._lock:
            self._state.pop(sid, None)


throttle = Throttle(limit=30, window=10.0)
_rooms: dict[str, set] = {}  # sid -> the public rooms it follows
MAX_ROOMS = 20


def _allowed() -> bool:
    verdict = throttle.allow(request.sid)
    if verdict is None:
        disconnect()
    return bool(verdict)


def on_connect(auth=None):
    user = _connected_user(auth)
    if user is False:
        return False  # a bad token is refused, not downgraded to anonymous
    if user is not None:
        join_room(f"user:{user.id}")
        if user.is_staff:
            join_room("staff")
    return True


def on_disconnect(*_args):
    throttle.forget(request.sid)
    _rooms.pop(request.sid, None)


def _public_room(data):
    """The public room a subscription names, or None: a live question, or the leaderboard."""
    if isinstance(data, dict):
        qid = data.get("question_id")
        if isinstance(qid, int) and not isinstance(qid, bool) and 0 < qid < 2**63:
            try:
                get_question(qid)
            except NotFound:
                return None
            return f"question:{qid}"
        if data.get("leaderboard") is True:
            return "leaderboard"
    return None


def on_subscribe(data=None):
    if not _allowed():
        return {"ok": False, "error": "rate_limited"}
    room = _public_room(data)
    followed = _rooms.setdefault(request.sid, set())
    if room and room not in followed and len(followed) >= MAX_ROOMS:
        return {"ok": False, "error": "too_many_rooms"}
    if room:
        followed.add(room)
        join_room(room)
    return {"ok": bool(room)}


def on_unsubscribe(data=None):
    if not _allowed():
        return {"ok": False, "error": "rate_limited"}
    room = _public_room(data)
    if room:
        _rooms.get(request.sid, set()).discard(room)
        leave_room(room)
    return {"ok": bool(room)}


def on_any_event(event, *_args):
    """Events the server does not know are counted against the budget and ignored."""
    return {"ok": False, "error": "unknown_event" if _allowed() else "rate_limited"}


def _answer_posted(_sender, answer, question, **_):
    _live(f"question:{question.id}", "answer_posted", {
        "question_id": question.id,
        "answer_id": answer.id,
        "author": answer.author.shown_name,
        "body_html": answer.body_html,
        "is_official": answer.is_official,
        "created_at": answer.created_at.isoformat(),
    })


def _comment_posted(_sender, comment, question, **_):
    _live(f"question:{question.id}", "comment_posted", {
        "question_id": question.id,
        "answer_id": comment.answer_id,
        "comment_id": comment.id,
        "author": comment.author.shown_name,
        "body_html": comment.body_html,
    })


def _vote_cast(_sender, target, target_type, **_):
    question_id = target.id if target_type == "question" else target.question_id
    _live(f"question:{question_id}", "vote_changed", {
        "question_id": question_id,
        "target": target_type,
        "id": target.id,
        "score": target.score,
    })


def _acceptance(_sender, answer, question, **_):
    _live(f"question:{question.id}", "answer_accepted", {
        "question_id": question.id,
        "answer_id": question.accepted_answer_id,
    })


def init_app(app):
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    socketio.on_event("subscribe", on_subscribe)
    socketio.on_event("unsubscribe", on_unsubscribe)
    socketio.on_event("*", on_any_event)
    events.answer_posted.connect(_answer_posted)
    events.comment_posted.connect(_comment_posted)
    events.vote_cast.connect(_vote_cast)
    events.answer_accepted.connect(_acceptance)
    events.answer_unaccepted.connect(_acceptance)


