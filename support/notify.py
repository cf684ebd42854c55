"""Notifications: listed in the app for every member, and sent through their chosen channel.

`notify()` runs inside a service transaction: it stores the notification and adds an
outbox row. The outbox drain renders the text in the recipient's language and hands it
to the sender of their channel (email or SMS), and always pushes it to the member's live
room for the bell. Senders are pluggable (`NOTIFY_SENDER`, a dotted path); the default
one writes to the log, so nothing leaves the machine until a real one is configured.
"""

import logging
from datetime import datetime
from importlib import import_module

from flask import current_app
from flask_babel import force_locale, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from .database import write_transaction
from .extensions import db, socketio
from .models import Notification, User
from .models.base import utcnow
from .outbox import enqueue, handler

log = logging.getLogger("passaparola.notify")
TOPIC = "notify.deliver"

# kind -> (text with %(name)s parameters, email subject)
KINDS = {
    "expert_offer": (_l("A question in your area is waiting for an expert: “%(title)s”"),
                     _l("A question needs an expert")),
    "escalation_opened": (_l("Your question “%(title)s” is now with our support team. We aim to resolve it by %(due)s."),
                          _l("Your question is with our support team")),
    "escalation_assigned": (_l("%(staff)s from our support team is looking after your question “%(title)s”."),
                            _l("Someone from support is looking after your question")),
    "escalation_handed": (_l("%(actor)s handed you an escalation: “%(title)s”"),
                          _l("An escalation was handed to you")),
    "escalation_resolved": (_l("Support resolved your question “%(title)s”. How satisfied are you? Tell us in one click."),
                            _l("Your question was resolved")),
    "csat_request": (_l("Your question “%(title)s” is solved. How satisfied are you? Tell us in one click."),
                     _l("How satisfied are you?")),
    "idea_status": (_l("The idea “%(title)s” is now %(status)s: read the company's answer."),
                    _l("News about an idea you follow")),
    "idea_merged": (_l("The idea “%(title)s” you follow was merged into a similar one; your vote and follow moved with it."),
                    _l("An idea you follow was merged")),
    "answer_received": (_l("%(author)s answered your question “%(title)s”."),
                        _l("New answer to your question")),
    "comment_received": (_l("%(author)s commented on your post in “%(title)s”."),
                         _l("New comment on your post")),
    "mentioned": (_l("%(author)s mentioned you in “%(title)s”."),
                  _l("You were mentioned")),
    "answer_accepted": (_l("Your answer to “%(title)s” solved the problem: the asker accepted it."),
                        _l("Your answer was accepted")),
    "badge_earned": (_l("You earned the badge “%(badge)s”."),
                     _l("You earned a badge")),
    "rank_up": (_l("You reached the rank of %(rank)s. Thank you for helping!"),
                _l("You reached a new rank")),
}

# Achievements are told in the app only: an email for every badge would be noise.
IN_APP_ONLY = {"badge_earned", "rank_up"}

# Idea statuses as shown in notifications (stored as slugs, translated when rendered).
IDEA_STATUS_LABELS = {
    "new": _l("new"),
    "under_review": _l("under review"),
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "delivered": _l("delivered"),
    "declined": _l("declined"),
}


def channel_for(user: User) -> str:
    """The member's preferred channel, falling back to in-app when it cannot reach them."""
    if user.contact_channel == "sms" and user.phone:
        return "sms"
    if user.contact_channel == "email" and user.email:
        return "email"
    return "in_app"


def notify(user: User, kind: str, url: str, **params) -> Notification | None:
    """Tell a member something (inside the caller's transaction); nobody is told of their own act."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if user is None or not user.is_active:
        return None
    channel = "in_app" if kind in IN_APP_ONLY else channel_for(user)
    note = Notification(user_id=user.id, kind=kind, params=params, url=url, channel=channel)
    db.session.add(note)
    db.session.flush()
    enqueue(TOPIC, {"id": note.id})
    return note


def render(note: Notification, locale: str | None = None) -> str:
    """The notification's text in a language (the recipient's, when shown to them)."""
    template, _subject = KINDS[note.kind]
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        params = _Params(note.params)
        if params.get("due"):
            params["due"] = _moment(params["due"])
        if note.kind == "idea_status" and params.get("status") in IDEA_STATUS_LABELS:
            params["status"] = str(IDEA_STATUS_LABELS[params["status"]])
        if note.kind == "badge_earned":
            params["badge"] = _badge_name(params.get("badge"), params.get("tag"))
        if note.kind == "rank_up":
            params["rank"] = _rank_name(params.get("rank"))
        return str(template) % params


def _badge_name(slug, tag) -> str:
    from gamification.badges import CATALOGUE  # gamification builds on support, not the reverse

    info = CATALOGUE.get(slug)
    name = str(info.name) if info else (slug or "")
    return f"{name} · {tag}" if tag else name


def _rank_name(slug) -> str:
    from .ranks import RANKS

    return next((str(rank.name) for rank in RANKS if rank.slug == slug), slug or "")


def _moment(value: str) -> str:
    """A stored ISO timestamp in the current language's short form (older rows kept their text)."""
    try:
        return format_datetime(datetime.fromisoformat(value), "short")
    except (TypeError, ValueError):
        return value


class _Params(dict):
    """Missing parameters render as empty text instead of failing a delivery."""

    def __missing__(self, key):
        return ""


def _subject(note: Notification, locale: str) -> str:
    with force_locale(locale):
        return str(KINDS[note.kind][1])


class LoggingSender:
    """The default sender: writes each email and SMS to the log instead of sending it."""

    def send_email(self, to: str, subject: str, text: str) -> None:
        log.info("email to %s: %s | %s", to, subject, text)

    def send_sms(self, to: str, text: str) -> None:
        log.info("sms to %s: %s", to, text)


class RecordingSender:
    """Keeps what it would send in memory (tests and local demos: `NOTIFY_SENDER=support.notify.RecordingSender`)."""

    sent: list = []

    def send_email(self, to, subject, text):
        self.sent.append({"channel": "email", "to": to, "subject": subject, "text": text})

    def send_sms(self, to, text):
        self.sent.append({"channel": "sms", "to": to, "text": text})


def sender():
    path = current_app.config.get("NOTIFY_SENDER") or "support.notify.LoggingSender"
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)()


def question_path(question_id: int, anchor: str | None = None) -> str:
    """The question page's path, built without a request (the ladder runs in a worker)."""
    return f"/questions/{question_id}" + (f"#{anchor}" if anchor else "")


def absolute(url: str) -> str:
    return current_app.config.get("PUBLIC_URL", "").rstrip("/") + url


@handler(TOPIC)
def deliver(payload: dict) -> None:
    """Carry out one outbox row: send the notification once through its channel."""
    note = db.session.get(Notification, int(payload["id"]))
    if note is None or note.sent_at is not None:
        return  # removed, or already sent by an earlier attempt
    user = db.session.get(User, note.user_id)
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    text = render(note, locale)
    if note.channel == "email":
        sender().send_email(user.email, _subject(note, locale), f"{text}\n\n{absolute(note.url)}")
    elif note.channel == "sms":
        sender().send_sms(user.phone, f"{text} {absolute(note.url)}")
    socketio.emit("notification", {"id": note.id, "kind": note.kind, "text": text, "url": note.url,
                                   "unread": unread_count(user.id)}, to=f"user:{user.id}")
    with write_transaction() as session:
        session.execute(update(Notification).where(Notification.id == note.id).values(sent_at=utcnow()))


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )


def recent(user_id: int, limit: int = 50) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ).all()


def mark_read(user_id: int, ids=None) -> int:
    """Mark a member's notifications read (all of them, or the given ids); return how many."""
    with write_transaction() as session:
        stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        if ids is not None:
            stmt = stmt.where(Notification.id.in_(list(ids)))
        return session.execute(stmt.values(read_at=utcnow())).rowcount
