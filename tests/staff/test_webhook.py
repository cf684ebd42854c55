"""The helpdesk webhook against a real local receiver: signed, ordered, retried, never lost."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from support import webhooks
from support.errors import Conflict, Forbidden
from support.extensions import db
from support.models import OutboxEvent, WebhookAttempt, WebhookDelivery
from support.models.base import clock_at
from support.outbox import MAX_ATTEMPTS, backoff, drain
from support.services import escalations

from .service_helpers import T0, count

SECRET = "a-secret-of-16+chars"
SECOND = timedelta(seconds=1)


class Receiver:
    """A helpdesk on 127.0.0.1 that records every POST and can answer 500 or be down."""

    def __init__(self):
        self.requests = []  # (headers, raw body, status answered)
        self.status = 200
        self.server = None
        self.port = None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body, receiver.status))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Go down: nothing listens on the port any more."""
        self.server.shutdown()
        self.server.server_close()
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def delivered(self):
        """Bodies of the POSTs it accepted (answered 2xx), decoded."""
        return [json.loads(body) for _headers, body, status in self.requests if status < 300]


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    if receiver.server is not None:
        receiver.stop()


@pytest.fixture
def configured(make, receiver):
    admin = make.user(role="admin")
    webhooks.save_webhook_settings(admin, receiver.url, SECRET)
    return receiver


def deliveries() -> list[WebhookDelivery]:
    db.session.rollback()
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def attempts_of(delivery_id) -> list[WebhookAttempt]:
    db.session.rollback()
    return db.session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.id)
    ).all()


def drain_at(moment):
    with clock_at(moment):
        return drain()


def test_an_escalation_is_posted_as_signed_json(app, make, configured):
    question = make.question(tags=("sim", "roaming"))
    escalation = escalations.escalate(question.author, question.id, "Ancora senza linea")

    assert len(configured.requests) == 1
    headers, raw, _status = configured.requests[0]
    body = json.loads(raw)
    assert body["event"] == "escalation.opened"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Passaparola-Event"] == "escalation.opened"
    assert body["question"]["id"] == question.id
    assert body["question"]["title"] == question.title
    assert body["question"]["tags"] == ["roaming", "sim"]
    assert body["escalation"]["id"] == escalation.id
    assert body["escalation"]["status"] == "open"
    assert body["escalation"]["source"] == "asker"
    assert body["escalation"]["reason"] == "Ancora senza linea"
    assert body["escalation"]["assignee"] is None
    assert body["actor"]["id"] == question.author_id

    timestamp = headers["X-Passaparola-Timestamp"]
    expected = "sha256=" + hmac.new(SECRET.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    assert headers["X-Passaparola-Signature"] == expected
    wrong = "sha256=" + hmac.new(b"another-secret-16+chars", f"{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    assert headers["X-Passaparola-Signature"] != wrong
    tampered = "sha256=" + hmac.new(SECRET.encode(), f"{timestamp}.".encode() + raw.replace(b"open", b"shut"),
                                    hashlib.sha256).hexdigest()
    assert headers["X-Passaparola-Signature"] != tampered

    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts, delivery.event) == ("delivered", 1, "escalation.opened")
    assert headers["X-Passaparola-Delivery"] == str(delivery.id) and body["delivery_id"] == delivery.id
    assert [a.status_code for a in attempts_of(delivery.id)] == [200]


def test_assign_note_and_resolve_each_post_their_own_event_in_order(app, make, configured):
    staff, colleague = make.staff(), make.staff()
    question = make.question()
    escalation = escalations.escalate(staff, question.id)
    escalations.take(staff, escalation.id)
    escalations.update_escalation(staff, escalation.id, assignee_id=colleague.id)
    escalations.add_note(colleague, question.id, "Il cliente ha una SIM vecchia")
    escalations.resolve(colleague, escalation.id, "staff_answer")

    posted = configured.delivered()
    assert [b["event"] for b in posted] == [
        "escalation.opened", "escalation.assigned", "escalation.assigned", "escalation.noted", "escalation.resolved",
    ]
    assert posted[1]["escalation"]["assignee"]["id"] == staff.id
    assert posted[2]["escalation"]["assignee"]["id"] == colleague.id
    assert posted[3]["note"]["body"] == "Il cliente ha una SIM vecchia"
    assert posted[4]["escalation"]["status"] == "resolved"
    assert posted[4]["escalation"]["resolution"] == "staff_answer"
    assert posted[4]["escalation"]["resolved_at"] is not None
    assert [d.status for d in deliveries()] == ["delivered"] * 5


def test_a_receiver_answering_500_is_retried_after_the_backoff_without_duplicates(app, make, configured):
    question = make.question()
    configured.status = 500
    with clock_at(T0):
        escalations.escalate(question.author, question.id)
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    (attempt,) = attempts_of(delivery.id)
    assert (attempt.status_code, attempt.error) == (500, "HTTP 500")

    configured.status = 200
    drain_at(T0 + SECOND)  # still inside the backoff: nobody is called
    assert len(configured.requests) == 1
    drain_at(T0 + backoff(1) + SECOND)
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert [a.status_code for a in attempts_of(delivery.id)] == [500, 200]

    drain_at(T0 + timedelta(hours=2))
    assert len(configured.requests) == 2
    assert [b["event"] for b in configured.delivered()] == ["escalation.opened"]


def test_a_receiver_that_is_down_loses_nothing(app, make, configured):
    question = make.question()
    configured.stop()
    with clock_at(T0):
        escalations.escalate(question.author, question.id)
    drain_at(T0 + backoff(1) + SECOND)
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    for attempt in attempts_of(delivery.id):
        assert attempt.status_code is None and attempt.error  # why it failed is on record

    configured.start()  # back up, on the same address
    drain_at(T0 + backoff(1) + backoff(2) + 2 * SECOND)
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert [b["event"] for b in configured.delivered()] == ["escalation.opened"]


def test_after_the_last_attempt_a_delivery_is_failed_and_staff_can_send_it_again(app, make, configured):
    staff, member = make.staff(), make.user()
    question = make.question()
    configured.status = 500
    moment = T0
    with clock_at(moment):
        escalations.escalate(question.author, question.id)
    for attempt in range(1, MAX_ATTEMPTS):
        moment += backoff(attempt) + SECOND
        drain_at(moment)
    (delivery,) = deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(configured.requests) == MAX_ATTEMPTS
    drain_at(moment + timedelta(days=1))  # the outbox gave up: no more calls
    assert len(configured.requests) == MAX_ATTEMPTS
    assert count(OutboxEvent, OutboxEvent.topic == webhooks.TOPIC, OutboxEvent.done_at.is_(None)) == 0

    with pytest.raises(Forbidden):
        webhooks.redeliver(member, delivery.id)
    configured.status = 200
    webhooks.redeliver(staff, delivery.id)
    (delivery,) = deliveries()
    assert delivery.status == "delivered" and delivery.delivered_at is not None
    assert len(attempts_of(delivery.id)) == MAX_ATTEMPTS + 1
    assert [b["event"] for b in configured.delivered()] == ["escalation.opened"]
    with pytest.raises(Conflict):
        webhooks.redeliver(staff, delivery.id)


def test_no_webhook_configured_means_no_deliveries(app, make, receiver):
    question = make.question()
    escalation = escalations.escalate(question.author, question.id)
    escalations.take(make.staff(), escalation.id)
    assert deliveries() == []
    assert receiver.requests == []


def test_a_refused_escalation_creates_no_delivery(app, make, configured):
    question = make.question()
    escalations.escalate(question.author, question.id)
    with pytest.raises(Conflict):
        escalations.escalate(make.staff(), question.id)
    assert [d.event for d in deliveries()] == ["escalation.opened"]
    assert len(configured.requests) == 1


def test_only_an_admin_sets_the_webhook_and_an_empty_url_switches_it_off(app, make, receiver):
    from support.errors import Invalid

    admin = make.user(role="admin")
    for outsider in (make.user(), make.staff()):
        with pytest.raises(Forbidden):
            webhooks.save_webhook_settings(outsider, receiver.url, SECRET)
    with pytest.raises(Invalid):
        webhooks.save_webhook_settings(admin, "ftp://127.0.0.1/hook", SECRET)
    with pytest.raises(Invalid):
        webhooks.save_webhook_settings(admin, receiver.url, "too-short")
    webhooks.save_webhook_settings(admin, receiver.url, SECRET)
    webhooks.save_webhook_settings(admin, receiver.url, "")  # a blank secret keeps the stored one
    assert webhooks.webhook_settings() == {"url": receiver.url, "secret": SECRET}

    first = make.question()
    escalations.escalate(first.author, first.id)
    webhooks.save_webhook_settings(admin, "", "")
    second = make.question()
    escalations.escalate(second.author, second.id)
    assert [b["question"]["id"] for b in receiver.delivered()] == [first.id]
    assert len(deliveries()) == 1
