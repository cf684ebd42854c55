"""Record ask flows: suggestions shown and clicked while asking, and questions posted."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from support import events
from support.database import transactional
from support.extensions import db
from support.models.base import utcnow

from .models import AskFlow

bp = Blueprint("ask_flows", __name__)
COOKIE = "pp_visitor"
OPEN_FOR = timedelta(hours=2)
MAX_SHOWN = 50


def visitor_key() -> tuple[str, str | None]:
    """Return the visitor's key (member id, else a first-party cookie id) and a new cookie, if any."""
    if current_user.is_authenticated:
        return f"u:{current_user.id}", None
    cookie = request.cookies.get(COOKIE, "")
    if len(cookie) == 32 and cookie.isalnum():
        return f"c:{cookie}", None
    fresh = secrets.token_hex(16)
    return f"c:{fresh}", fresh


def in_holdout(key: str, period: str, share: float, secret: str) -> bool:
    """Return whether a visitor sees no suggestions this period: a keyed hash below `share`.

    Deterministic, so nothing is stored and a visitor stays in (or out) all month.
    """
    if share <= 0:
        return False
    digest = hmac.new(secret.encode(), f"{key}|{period}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def is_holdout(key: str, when: datetime | None = None) -> bool:
    """Whether this visitor is in this calendar month's (UTC) holdout of DEFLECTION.md."""
    from support.metrics.config import deflection_config

    period = (when or utcnow()).strftime("%Y-%m")
    return in_holdout(key, period, float(deflection_config()["holdout_share"]), current_app.config["SECRET_KEY"])


def holdout_for_request() -> bool:
    """Whether the current visitor is in the holdout (a visitor without a cookie yet is not)."""
    key, fresh = visitor_key()
    return fresh is None and is_holdout(key)


def _open_flow(key: str) -> AskFlow | None:
    return db.session.scalar(
        select(AskFlow).where(AskFlow.visitor_key == key, AskFlow.outcome.is_(None),
                              AskFlow.started_at >= utcnow() - OPEN_FOR)
        .order_by(AskFlow.started_at.desc(), AskFlow.id.desc()).limit(1)
    )


@transactional
def record(key: str, user_id, *, shown=(), clicked=None) -> AskFlow:
    """Add suggestions shown or a click to the visitor's open flow (started if none)."""
    flow = _open_flow(key)
    if flow is None:
        flow = AskFlow(visitor_key=key, user_id=user_id, suggestions_shown=[], holdout=is_holdout(key))
        db.session.add(flow)
    seen = list(flow.suggestions_shown or [])
    flow.suggestions_shown = (seen + [i for i in shown if i not in seen])[:MAX_SHOWN]
    if clicked is not None:
        flow.clicked_question_id = clicked
    return flow


def _on_question_asked(sender, question, actor, **_):
    flow = _open_flow(f"u:{actor.id}")
    if flow is not None:
        flow.outcome, flow.question_id = "posted", question.id


def connect() -> None:
    """Mark a member's open flow as posted when they publish a question."""
    events.question_asked.connect(_on_question_asked)


def _ids(value) -> list[int]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31][:5]


@bp.post("/search/ask-flow")
def ask_flow_event():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or data.get("event") not in ("shown", "clicked"):
        return jsonify({"error": "malformed"}), 400
    clicked = _ids([data.get("question_id")])
    key, fresh = visitor_key()
    user_id = current_user.id if current_user.is_authenticated else None
    record(key, user_id, shown=_ids(data.get("ids")), clicked=clicked[0] if clicked else None)
    response = jsonify({"ok": True})
    if fresh:
        response.set_cookie(COOKIE, fresh, max_age=180 * 86400, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response, 200
