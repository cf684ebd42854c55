"""Live events: Socket.IO handlers and the single place that emits.

Domain events only write outbox rows here; the outbox drain emits after commit, so a
client never sees something that was rolled back.
"""

from flask_login import current_user
from flask_socketio import join_room, leave_room

from . import events
from .extensions import socketio
from .outbox import enqueue, handler


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


def on_connect(auth=None):
    user = _connected_user(auth)
    if user is False:
        return False  # a bad token is refused, not downgraded to anonymous
    if user is not None:
        join_room(f"user:{user.id}")
        if user.is_staff:
            join_room("staff")
    return True


def _question_room(data):
    if isinstance(data, dict):
        qid = data.get("question_id")
        if isinstance(qid, int) and not isinstance(qid, bool) and 0 < qid < 2**63:
            return f"question:{qid}"
        if data.get("leaderboard") is True:
            return "leaderboard"
    return None


def on_subscribe(data=None):
    room = _question_room(data)
    if room:
        join_room(room)
    return {"ok": bool(room)}


def on_unsubscribe(data=None):
    room = _question_room(data)
    if room:
        leave_room(room)
    return {"ok": bool(room)}


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
    socketio.on_event("subscribe", on_subscribe)
    socketio.on_event("unsubscribe", on_unsubscribe)
    events.answer_posted.connect(_answer_posted)
    events.comment_posted.connect(_comment_posted)
    events.vote_cast.connect(_vote_cast)
    events.answer_accepted.connect(_acceptance)
    events.answer_unaccepted.connect(_acceptance)


