"""The helpdesk webhook: every escalation event POSTed as signed JSON, retried until it lands.

An event becomes a `webhook_deliveries` row and an outbox row in the escalation's own
transaction, so it exists exactly when the escalation change does. The outbox drain
POSTs it; a failure (refused connection, timeout, non-2xx) is logged as an attempt and
retried with exponential backoff. After the outbox's last attempt the delivery is marked
failed, and staff can send it again from the deliveries page: a receiver that is down
loses nothing.

Signature: `X-Passaparola-Signature: sha256=<hex>` is HMAC-SHA256 with the shared secret
over `<X-Passaparola-Timestamp>.<raw body>`; receivers should also refuse old timestamps.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from . import events
from .database import transactional, write_transaction
from .errors import Invalid
from .extensions import db
from .models import WebhookAttempt, WebhookDelivery
from .models.base import utcnow
from .notify import absolute, question_path
from .outbox import MAX_ATTEMPTS, enqueue, handler
from .permissions import require
from .services.settings import get_setting, set_setting

SETTING_KEY = "support.webhook"
TOPIC = "webhook.deliver"
USER_AGENT = "Passaparola-Webhook/1"


class DeliveryFailed(Exception):
    pass


def webhook_settings() -> dict:
    stored = get_setting(SETTING_KEY, {}) or {}
    return {"url": stored.get("url") or "", "secret": stored.get("secret") or ""}


def save_webhook_settings(actor, url: str, secret: str | None) -> None:
    """Store the helpdesk URL and secret (administrators only); an empty URL switches it off.

    A blank secret keeps the stored one, so the settings form never has to show it.
    """
    require(actor, "admin")
    url = (url or "").strip()
    errors = {}
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
            errors["url"] = _("Enter a full http:// or https:// address.")
    secret = (secret or "").strip() or webhook_settings()["secret"]
    if url and len(secret) < 16:
        errors["secret"] = _("The secret must be at least 16 characters.")
    if errors:
        raise Invalid(next(iter(errors.values())), fields=errors)
    set_setting(actor, SETTING_KEY, {"url": url, "secret": secret})


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _person(user):
    return None if user is None else {"id": user.id, "username": user.username}


def event_payload(escalation, kind, actor, note=None) -> dict:
    question = escalation.question
    payload = {
        "event": f"escalation.{kind}",
        "occurred_at": utcnow().isoformat().replace("+00:00", "Z"),
        "actor": _person(actor),
        "escalation": {
            "id": escalation.id, "status": escalation.status, "source": escalation.source,
            "reason": escalation.reason, "assignee": _person(escalation.assignee),
            "sla_due_at": escalation.sla_due_at.isoformat().replace("+00:00", "Z"),
            "created_at": escalation.created_at.isoformat().replace("+00:00", "Z"),
            "resolved_at": escalation.resolved_at.isoformat().replace("+00:00", "Z") if escalation.resolved_at else None,
            "resolution": escalation.resolution,
        },
        "question": {
            "id": question.id, "title": question.title, "url": absolute(question_path(question.id)),
            "tags": [t.name for t in question.tags], "author": _person(question.author),
        },
    }
    if note is not None:
        payload["note"] = {"id": note.id, "body": note.body}
    return payload


def _on_escalation_changed(_sender, escalation, kind, actor, note=None, **_):
    if not webhook_settings()["url"]:
        return
    db.session.flush()
    db.session.refresh(escalation)
    delivery = WebhookDelivery(event=f"escalation.{kind}", escalation_id=escalation.id,
                               payload=event_payload(escalation, kind, actor, note))
    db.session.add(delivery)
    db.session.flush()
    enqueue(TOPIC, {"delivery_id": delivery.id})


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=current_app.config.get("WEBHOOK_TIMEOUT", 5)) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@handler(TOPIC)
def deliver(payload: dict) -> None:
    """Carry out one outbox row: POST the delivery; raise (so the outbox retries) on failure."""
    delivery = db.session.get(WebhookDelivery, int(payload["delivery_id"]))
    if delivery is None or delivery.status == "delivered":
        return
    config = webhook_settings()
    body = json.dumps({"delivery_id": delivery.id, **delivery.payload}, sort_keys=True, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT,
        "X-Passaparola-Event": delivery.event, "X-Passaparola-Delivery": str(delivery.id),
        "X-Passaparola-Timestamp": timestamp, "X-Passaparola-Signature": sign(config["secret"], timestamp, body),
    }
    started = time.monotonic()
    status_code, error = None, None
    if not config["url"]:
        error = "the webhook is switched off (no URL configured)"
    else:
        try:
            status_code = _post(config["url"], body, headers)
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except (OSError, ValueError) as exc:  # refused, timeout, DNS, TLS
            error = f"{type(exc).__name__}: {exc}"
    _record(delivery.id, config["url"], status_code, error, int((time.monotonic() - started) * 1000))
    if error:
        raise DeliveryFailed(error)


def _record(delivery_id, url, status_code, error, duration_ms) -> None:
    now = utcnow()
    with write_transaction() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        session.add(WebhookAttempt(delivery_id=delivery_id, url=url[:500], status_code=status_code,
                                   error=error, duration_ms=duration_ms, attempted_at=now))
        delivery.attempts += 1
        if error is None:
            delivery.status, delivery.delivered_at = "delivered", now
        elif delivery.attempts % MAX_ATTEMPTS == 0:
            delivery.status = "failed"  # the outbox gives up now; staff can send it again


@transactional
def redeliver(actor, delivery_id) -> WebhookDelivery:
    """Send a delivery again (staff), e.g. after the helpdesk was down for hours."""
    from .errors import Conflict, NotFound

    require(actor, "staff")
    delivery = db.session.get(WebhookDelivery, delivery_id) if isinstance(delivery_id, int) else None
    if delivery is None:
        raise NotFound(_("This delivery does not exist."))
    if delivery.status == "delivered":
        raise Conflict(_("This event was already delivered."))
    delivery.status = "pending"
    enqueue(TOPIC, {"delivery_id": delivery.id})
    return delivery


def recent_deliveries(status=None, limit=100) -> list[WebhookDelivery]:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    return db.session.scalars(stmt).all()


def connect():
    events.escalation_changed.connect(_on_escalation_changed)
