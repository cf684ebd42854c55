"""Who hears about an escalation, and through which channel."""

from datetime import timedelta

from flask_babel import format_datetime
from sqlalchemy import select

from support.extensions import db
from support.models import OutboxEvent
from support.models.base import clock_at
from support.notify import channel_for, render
from support.services import escalations

from .service_helpers import T0, clear_outgoing, notifications, outgoing


def sent_to(address) -> list[dict]:
    return [m for m in outgoing() if m["to"] == address]


def test_an_email_customer_gets_an_email_when_staff_escalate_and_when_they_resolve(app, make):
    clear_outgoing()
    asker = make.user(contact_channel="email", locale="en")
    staff = make.staff()
    question = make.question(author=asker)
    escalation = escalations.escalate(staff, question.id, "Lo seguiamo noi")

    (opened,) = notifications(asker.id, "escalation_opened")
    assert (opened.channel, opened.url) == ("email", f"/questions/{question.id}")
    (mail,) = sent_to(asker.email)
    assert mail["channel"] == "email"
    assert mail["subject"] == "Your question is with our support team"
    assert f"Your question “{question.title}” is now with our support team." in mail["text"]
    assert mail["text"].endswith(f"/questions/{question.id}")

    escalations.resolve(staff, escalation.id, "staff_answer")
    (resolved,) = notifications(asker.id, "escalation_resolved")
    assert resolved.url == f"/questions/{question.id}#csat"
    mails = sent_to(asker.email)
    assert [m["subject"] for m in mails] == ["Your question is with our support team", "Your question was resolved"]
    assert "How satisfied are you?" in mails[1]["text"]
    assert resolved.sent_at is not None


def test_an_sms_customer_with_a_phone_gets_an_sms(app, make):
    clear_outgoing()
    asker = make.user(contact_channel="sms", phone="+39 333 1234567", locale="en")
    question = make.question(author=asker)
    escalations.escalate(make.staff(), question.id)
    (sms,) = sent_to("+39 333 1234567")
    assert sms["channel"] == "sms"
    assert question.title in sms["text"] and sms["text"].endswith(f"/questions/{question.id}")
    assert sent_to(asker.email) == []


def test_sms_without_a_phone_falls_back_to_the_app(app, make):
    clear_outgoing()
    asker = make.user(contact_channel="sms", phone=None, locale="en")
    assert channel_for(asker) == "in_app"
    question = make.question(author=asker)
    escalations.escalate(make.staff(), question.id)
    (note,) = notifications(asker.id, "escalation_opened")
    assert (note.channel, note.url) == ("in_app", f"/questions/{question.id}")
    assert outgoing() == []


def test_an_in_app_customer_is_told_in_the_app_only(app, make):
    clear_outgoing()
    asker = make.user(contact_channel="in_app", locale="en")
    question = make.question(author=asker)
    escalations.escalate(make.staff(), question.id)
    (note,) = notifications(asker.id, "escalation_opened")
    assert note.channel == "in_app"
    assert render(note, "en").startswith(f"Your question “{question.title}” is now with our support team.")
    assert outgoing() == []


def test_the_asker_is_not_told_about_their_own_request_for_help(app, make):
    clear_outgoing()
    asker = make.user(contact_channel="email", locale="en")
    question = make.question(author=asker)
    escalations.escalate(asker, question.id, "Aiuto")
    assert notifications(asker.id, "escalation_opened") == []
    assert outgoing() == []


def test_taking_an_escalation_tells_the_customer_but_not_the_taker(app, make):
    clear_outgoing()
    asker = make.user(contact_channel="email", locale="en")
    staff = make.staff(display_name="Giulia", contact_channel="email")
    question = make.question(author=asker)
    escalation = escalations.escalate(asker, question.id)
    escalations.take(staff, escalation.id)

    (assigned,) = notifications(asker.id, "escalation_assigned")
    assert assigned.params["staff"] == "Giulia"
    (mail,) = sent_to(asker.email)
    assert f"Giulia from our support team is looking after your question “{question.title}”." in mail["text"]
    assert notifications(staff.id) == []
    assert sent_to(staff.email) == []


def test_the_new_owner_is_told_when_a_colleague_hands_them_an_escalation(app, make):
    clear_outgoing()
    staff = make.staff(display_name="Giulia")
    colleague = make.staff(contact_channel="email", locale="en")
    question = make.question()
    escalation = escalations.escalate(question.author, question.id)
    escalations.take(staff, escalation.id)
    escalations.update_escalation(staff, escalation.id, assignee_id=colleague.id)

    (handed,) = notifications(colleague.id, "escalation_handed")
    assert handed.url == f"/staff/escalations/{escalation.id}"
    (mail,) = sent_to(colleague.email)
    assert mail["subject"] == "An escalation was handed to you"
    assert f"Giulia handed you an escalation: “{question.title}”" in mail["text"]
    assert notifications(staff.id, "escalation_handed") == []


def test_the_live_staff_queue_sees_the_new_owner(app, make):
    staff, colleague = make.staff(), make.staff()
    question = make.question()
    escalation = escalations.escalate(question.author, question.id)
    escalations.take(staff, escalation.id)
    escalations.update_escalation(staff, escalation.id, assignee_id=colleague.id)
    escalations.resolve(colleague, escalation.id, "outside")
    db.session.rollback()
    live = [row.payload["data"] for row in db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.topic == "live").order_by(OutboxEvent.id)
    ) if row.payload.get("room") == "staff" and row.payload["data"]["id"] == escalation.id]
    assert [(d["kind"], d["status"], d["assignee"]) for d in live] == [
        ("opened", "open", None),
        ("assigned", "assigned", staff.username),
        ("assigned", "assigned", colleague.username),
        ("resolved", "resolved", colleague.username),
    ]


def test_the_due_time_is_written_in_the_customers_language_not_the_staff_members(app, make):
    from flask_babel import force_locale

    clear_outgoing()
    asker = make.user(contact_channel="email", locale="en")
    question = make.question(author=asker)
    with clock_at(T0), force_locale("it"):  # an Italian-speaking agent escalates it
        escalations.escalate(make.staff(locale="it"), question.id)
    (note,) = notifications(asker.id, "escalation_opened")
    due = T0 + timedelta(hours=8)  # the default SLA
    (mail,) = sent_to(asker.email)
    assert "We aim to resolve it by 5/4/26, 5:00\u202fPM." in mail["text"]
    assert render(note, "en").endswith("We aim to resolve it by 5/4/26, 5:00\u202fPM.")
    with force_locale("it"):
        assert format_datetime(due, "short") in render(note, "it")
