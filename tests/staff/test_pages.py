"""The staff pages and the question page's support actions, as people use them."""

from datetime import timedelta

import pytest

from support.extensions import db
from support.models import CsatResponse, Escalation, StaffNote, WebhookAttempt, WebhookDelivery
from support.models.base import clock_at, utcnow
from support.services import escalations
from support.sla import ladder_settings
from support.webhooks import save_webhook_settings, webhook_settings
from tests.pages.conftest import browser, client, make  # noqa: F401  (the page fixtures)
from tests.pages.helpers import elements, field_error, flashes, location, text

STAFF_PAGES = ["/staff/escalations", "/staff/webhooks", "/staff/csat", "/admin/support"]


@pytest.fixture
def staff(make):
    return make.staff(username="sofia", display_name="Sofia Support")


@pytest.fixture
def escalated(make):
    """A customer's question the customer handed to staff ("I still need help")."""
    asker = make.user(username="carla")
    question = make.question(author=asker, title="My SIM says no service after the swap", tags=("sim", "network"))
    escalation = escalations.escalate(asker, question.id, "I tried restarting twice.")
    return escalation


def _reload(escalation_id) -> Escalation:
    db.session.expire_all()
    return db.session.get(Escalation, escalation_id)


# Who may see what.

@pytest.mark.parametrize("path", STAFF_PAGES + ["/staff/escalations/1"])
def test_members_are_refused_every_staff_page(client, make, escalated, path):
    client.login_as(make.user())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_visitors_are_sent_to_log_in(client, path):
    assert location(client.get(path)).startswith("/login")


def test_admin_settings_are_for_administrators_only(client, staff):
    client.login_as(staff)
    assert client.get("/admin/support").status_code == 403
    response = client.post("/admin/support", {"section": "ladder", "expert_minutes": "5", "escalate_hours": "2",
                                              "sla_hours": "1", "window_days": "3"})
    assert response.status_code == 403
    assert ladder_settings()["expert_minutes"] == 30


def test_staff_nav_leads_to_the_queue_and_its_sub_pages(client, staff):
    client.login_as(staff)
    page = client.get("/")
    assert 'href="/staff/escalations"' in page.get_data(as_text=True)
    queue = client.get("/staff/escalations")
    links = [attrs.get("href") for tag, attrs in elements(queue).tags if tag == "a"]
    assert {"/staff/webhooks", "/staff/csat", "/staff/segments"} <= set(links)
    assert "/admin/support" not in links  # administrators only


# The queue.

def test_queue_lists_an_escalation_with_its_sla_and_marks_a_breach(client, staff, escalated):
    client.login_as(staff)
    page = text(client.get("/staff/escalations"))
    assert "My SIM says no service after the swap" in page
    assert "carla" in page and "Asked by the customer" in page
    assert "due in" in page and "SLA breached" not in page
    with clock_at(utcnow() + timedelta(hours=ladder_settings()["sla_hours"], minutes=30)):
        late = text(client.get("/staff/escalations"))
    assert "SLA breached" in late and "overdue by 30 minutes" in late


def test_queue_filters_by_status_tag_age_and_mine(client, make, staff, escalated):
    other = make.question(title="Roaming in Albania costs too much", tags=("roaming",))
    escalations.escalate(staff, other.id)
    client.login_as(staff)
    active = text(client.get("/staff/escalations"))
    assert "My SIM says no service" in active and "Roaming in Albania" in active
    by_tag = text(client.get("/staff/escalations?tag=roaming"))
    assert "Roaming in Albania" in by_tag and "My SIM says no service" not in by_tag
    assert "Escalated by Sofia Support" in by_tag
    assert "Nothing here" in text(client.get("/staff/escalations?age=24h"))
    assert "Nothing here" in text(client.get("/staff/escalations?mine=1"))
    escalations.take(staff, escalated.id)
    mine = text(client.get("/staff/escalations?mine=1"))
    assert "My SIM says no service" in mine and "Roaming in Albania" not in mine
    assert "Nothing here" in text(client.get("/staff/escalations?status=resolved"))
    # Nonsense filters are ignored, never a 500.
    assert client.get("/staff/escalations?status=zzz&age=%00&tag=%00&page=-4").status_code == 200


def test_take_from_the_queue_assigns_it_to_me_and_returns_to_the_queue(client, staff, escalated):
    client.login_as(staff)
    response = client.post(f"/staff/escalations/{escalated.id}/take", {"next": "/staff/escalations?status=open"})
    assert location(response) == "/staff/escalations?status=open"
    fresh = _reload(escalated.id)
    assert (fresh.status, fresh.assignee_id) == ("assigned", staff.id)
    page = client.get("/staff/escalations?status=assigned")
    assert "Sofia Support" in text(page)


def test_queue_counts_each_status_and_offers_take_only_on_unresolved(client, make, staff, escalated):
    done = escalations.escalate(staff, make.question().id)
    escalations.resolve(staff, done.id, "outside")
    client.login_as(staff)
    page = client.get("/staff/escalations")
    body = page.get_data(as_text=True)
    assert 'id="count-open">1<' in body and 'id="count-assigned">0<' in body and 'id="count-resolved">1<' in body
    assert f"/staff/escalations/{escalated.id}/take" in body
    resolved = client.get("/staff/escalations?status=resolved").get_data(as_text=True)
    assert f"/staff/escalations/{done.id}" in resolved and "/take" not in resolved


@pytest.mark.parametrize("path", ["/staff/escalations", "/staff/escalations/1", "/staff/webhooks", "/staff/csat",
                                  "/admin/support", "/questions/1"])
def test_staff_pages_keep_the_strict_csp(client, make, escalated, path):
    client.login_as(make.user(role="admin"))
    response = client.get(path)
    assert response.status_code == 200
    assert not elements(response).inline_scripts
    assert not any("style" in attrs for _tag, attrs in elements(response).tags)
    assert all(form["inputs"].get("csrf_token") for form in elements(response).forms
               if form["attrs"].get("method", "get").lower() == "post")


def test_an_escalation_a_colleague_took_is_handed_over_not_taken(client, make, staff, escalated):
    colleague = make.staff(username="marco")
    escalations.take(colleague, escalated.id)
    client.login_as(staff)
    detail = f"/staff/escalations/{escalated.id}"
    assert "/take" not in client.get("/staff/escalations").get_data(as_text=True)
    assert "/take" not in client.get(detail).get_data(as_text=True)
    response = client.post(f"{detail}/take", {}, follow_redirects=True)
    assert response.status_code == 200 and flashes(response)
    assert _reload(escalated.id).assignee_id == colleague.id
    client.post(f"{detail}/assign", {"assignee_id": str(staff.id)})
    assert _reload(escalated.id).assignee_id == staff.id


def test_take_never_follows_an_outside_next(client, staff, escalated):
    client.login_as(staff)
    response = client.post(f"/staff/escalations/{escalated.id}/take", {"next": "https://evil.example/"})
    assert location(response) == f"/staff/escalations/{escalated.id}"


# One escalation.

def test_detail_shows_the_question_reason_sla_and_the_customer_at_a_glance(client, make, staff, escalated):
    customer = escalated.question.author
    customer.contact_channel, customer.phone = "sms", "+39 333 1234567"
    db.session.commit()
    client.login_as(staff)
    page = text(client.get(f"/staff/escalations/{escalated.id}"))
    assert "My SIM says no service after the swap" in page
    assert "I tried restarting twice." in page
    assert "due in" in page
    assert "SMS" in page and "+39 333 1234567" in page
    assert "1 asked, 0 solved" in page
    assert "None: this is their first." in page


def test_phone_is_shown_only_when_the_customer_wants_sms(client, staff, escalated):
    customer = escalated.question.author
    customer.contact_channel, customer.phone = "email", "+39 333 7654321"
    db.session.commit()
    client.login_as(staff)
    assert "+39 333 7654321" not in client.get(f"/staff/escalations/{escalated.id}").get_data(as_text=True)


def test_assign_resolve_and_illegal_transitions_through_the_pages(client, make, staff, escalated):
    colleague = make.staff(username="marco")
    client.login_as(staff)
    detail = f"/staff/escalations/{escalated.id}"
    response = client.post(f"{detail}/assign", {"assignee_id": str(colleague.id)}, csrf_from=detail)
    assert location(response) == detail
    assert _reload(escalated.id).assignee_id == colleague.id

    response = client.post(f"{detail}/resolve", {"resolution": "outside", "note": "Called her back."},
                           csrf_from=detail, follow_redirects=True)
    assert "Resolved." in " ".join(flashes(response))
    fresh = _reload(escalated.id)
    assert (fresh.status, fresh.resolution) == ("resolved", "outside")
    assert "Called her back." in text(response)

    again = client.post(f"{detail}/resolve", {"resolution": "staff_answer"}, follow_redirects=True)
    assert any("already resolved" in m for m in flashes(again))
    reassign = client.post(f"{detail}/assign", {"assignee_id": str(staff.id)}, follow_redirects=True)
    assert any("already resolved" in m for m in flashes(reassign))
    fresh = _reload(escalated.id)
    assert (fresh.status, fresh.resolution, fresh.assignee_id) == ("resolved", "outside", colleague.id)


def test_bad_input_on_the_detail_forms_gets_a_message_not_a_500(client, make, staff, escalated):
    member = make.user()
    client.login_as(staff)
    detail = f"/staff/escalations/{escalated.id}"
    for data in ({"assignee_id": "abc"}, {"assignee_id": str(member.id)}, {}):
        response = client.post(f"{detail}/assign", data, follow_redirects=True)
        assert response.status_code == 200
        assert flashes(response)
    response = client.post(f"{detail}/resolve", {"resolution": "magic"}, follow_redirects=True)
    assert response.status_code == 200 and flashes(response)
    response = client.post(f"{detail}/notes", {"body": "x"})
    assert response.status_code == 422 and field_error(response, "note-body")
    assert _reload(escalated.id).status == "open"
    assert client.get("/staff/escalations/999999").status_code == 404


def test_a_note_on_the_detail_page_is_listed_with_the_timeline(client, staff, escalated):
    client.login_as(staff)
    detail = f"/staff/escalations/{escalated.id}"
    response = client.post(f"{detail}/notes", {"body": "Customer is on the **old** tariff."}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "<strong>old</strong>" in page
    assert "Sofia Support added a note" in text(response)


# The question page.

def test_staff_notes_are_seen_by_staff_and_never_by_members_or_visitors(browser, make, staff, escalated):
    question_id = escalated.question_id
    staff_browser = browser().login_as(staff)
    response = staff_browser.post(f"/questions/{question_id}/notes", {"body": "Secret: the mast in Rho is down."},
                                  follow_redirects=True)
    assert "Secret: the mast in Rho is down." in text(response)
    assert db.session.query(StaffNote).count() == 1
    for viewer in (browser(), browser().login_as(make.user()), browser().login_as(escalated.question.author)):
        body = viewer.get(f"/questions/{question_id}").get_data(as_text=True)
        assert "the mast in Rho" not in body
        assert "Staff notes" not in body
    member = browser().login_as(make.user())
    assert member.post(f"/questions/{question_id}/notes", {"body": "I am not staff"}).status_code == 403


def test_the_reason_is_for_the_asker_and_staff_only(browser, make, staff, escalated):
    path = f"/questions/{escalated.question_id}"
    escalations.take(staff, escalated.id)
    asker_page = text(browser().login_as(escalated.question.author).get(path))
    assert "I tried restarting twice." in asker_page
    assert "Sofia Support is looking after it." in asker_page
    assert "I tried restarting twice." in text(browser().login_as(staff).get(path))
    for viewer in (browser(), browser().login_as(make.user())):
        page = text(viewer.get(path))
        assert "I tried restarting twice." not in page and "looking after it" not in page
        assert "With support" in page


def test_i_still_need_help_escalates_once(client, make):
    asker = make.user()
    question = make.question(author=asker)
    client.login_as(asker)
    page = client.get(f"/questions/{question.id}")
    assert "I still need help" in text(page)
    response = client.post(f"/questions/{question.id}/escalate", {"reason": "Still no signal."}, follow_redirects=True)
    assert any("Our support team has your question; we aim to answer by" in m for m in flashes(response))
    assert "With our support team since" in text(response)
    assert "I still need help" not in text(response)
    again = client.post(f"/questions/{question.id}/escalate", {"reason": ""}, follow_redirects=True)
    assert any("already with support staff" in m for m in flashes(again))
    assert db.session.query(Escalation).filter_by(question_id=question.id).count() == 1


def test_only_the_asker_or_staff_may_escalate(browser, make, staff):
    question = make.question()
    member = browser().login_as(make.user())
    assert "I still need help" not in text(member.get(f"/questions/{question.id}"))
    assert member.post(f"/questions/{question.id}/escalate", {}).status_code == 403
    staffer = browser().login_as(staff)
    assert "Escalate to staff" in text(staffer.get(f"/questions/{question.id}"))
    response = staffer.post(f"/questions/{question.id}/escalate", {}, follow_redirects=True)
    assert any("staff queue" in m for m in flashes(response))
    assert "Open the escalation" in text(response)


def test_staff_verify_a_member_answer_and_can_withdraw_it(client, make, staff):
    question = make.question()
    helper = make.user()
    answer = make.answer(question, author=helper)
    points_before = helper.points
    client.login_as(staff)
    response = client.post(f"/answers/{answer.id}/verify", {}, follow_redirects=True)
    assert "Verified by support" in text(response)
    db.session.expire_all()
    assert helper.points > points_before
    assert "Remove verification" in text(response)
    response = client.post(f"/answers/{answer.id}/unverify", {}, follow_redirects=True)
    assert "Verified by support" not in text(response)
    db.session.expire_all()
    assert helper.points == points_before


def test_members_see_no_verify_button_and_cannot_verify(client, make):
    question = make.question()
    answer = make.answer(question)
    client.login_as(make.user())
    assert "Verify" not in text(client.get(f"/questions/{question.id}"))
    assert client.post(f"/answers/{answer.id}/verify", {}).status_code == 403


def test_csat_is_asked_once_of_the_asker_after_acceptance(browser, make):
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question)
    make.accept(asker, answer)
    path = f"/questions/{question.id}"
    assert 'id="csat"' not in browser().login_as(make.user()).get(path).get_data(as_text=True)
    assert 'id="csat"' not in browser().get(path).get_data(as_text=True)
    me = browser().login_as(asker)
    assert 'id="csat"' in me.get(path).get_data(as_text=True)
    response = me.post(f"{path}/csat", {"score": "4", "comment": "Quick and kind."}, follow_redirects=True)
    assert any("Thank you" in m for m in flashes(response))
    assert 'id="csat"' not in response.get_data(as_text=True)
    again = me.post(f"{path}/csat", {"score": "5"}, follow_redirects=True)
    assert any("already told us" in m for m in flashes(again))
    assert db.session.query(CsatResponse).count() == 1
    bad = me.post(f"{path}/csat", {"score": "eleven"}, follow_redirects=True)
    assert bad.status_code == 200 and flashes(bad)


def test_csat_is_asked_after_staff_resolve_an_escalation(client, staff, escalated):
    asker = escalated.question.author
    client.login_as(asker)
    path = f"/questions/{escalated.question_id}"
    assert 'id="csat"' not in client.get(path).get_data(as_text=True)
    escalations.resolve(staff, escalated.id, "outside")
    assert 'id="csat"' in client.get(path).get_data(as_text=True)
    client.post(f"{path}/csat", {"score": "2"})
    assert db.session.query(CsatResponse).one().staff_id == staff.id


# Satisfaction, deliveries, settings.

def test_csat_report_shows_figures_per_staff_member_and_tag(client, staff, escalated):
    escalations.resolve(staff, escalated.id, "outside")
    from support.services import csat

    csat.record(escalated.question.author, escalated.question_id, 5, "Great")
    client.login_as(staff)
    page = client.get("/staff/csat")
    body = text(page)
    assert page.status_code == 200
    assert "sofia" in body and "network" in body and "100%" in body
    assert "<svg" in page.get_data(as_text=True)
    for weeks in ("4", "26", "nonsense"):
        assert client.get(f"/staff/csat?weeks={weeks}").status_code == 200


def test_webhook_page_lists_deliveries_with_their_attempts_and_sends_again(client, make, staff, escalated):
    delivery = WebhookDelivery(event="escalation.opened", escalation_id=escalated.id, payload={}, status="failed",
                               attempts=2)
    db.session.add(delivery)
    db.session.flush()
    db.session.add_all([
        WebhookAttempt(delivery_id=delivery.id, url="http://127.0.0.1:9/", error="ConnectionRefusedError: refused",
                       duration_ms=3),
        WebhookAttempt(delivery_id=delivery.id, url="http://127.0.0.1:9/", status_code=503, error="HTTP 503",
                       duration_ms=12),
    ])
    db.session.commit()
    client.login_as(staff)
    page = client.get("/staff/webhooks")
    body = text(page)
    assert "escalation.opened" in body and "ConnectionRefusedError" in body and "HTTP 503" in body
    assert "not configured" in body
    assert "Send again" in body
    assert "escalation.opened" in text(client.get("/staff/webhooks?status=failed"))
    assert client.get("/staff/webhooks?status=%00").status_code == 200
    assert "No deliveries yet." in text(client.get("/staff/webhooks?status=delivered"))
    response = client.post(f"/staff/webhooks/{delivery.id}/redeliver", {}, follow_redirects=True)
    assert response.status_code == 200 and flashes(response)
    db.session.expire_all()
    assert db.session.get(WebhookDelivery, delivery.id).attempts >= 2


def test_a_configured_webhook_logs_escalation_events(client, make, staff):
    admin = make.user(role="admin")
    save_webhook_settings(admin, "http://127.0.0.1:9/", "a-very-long-shared-secret")
    question = make.question()
    escalations.escalate(staff, question.id)
    client.login_as(staff)
    page = client.get("/staff/webhooks")
    body = text(page)
    assert "http://127.0.0.1:9/" in body and "a-very-long-shared-secret" not in page.get_data(as_text=True)
    assert "escalation.opened" in body
    assert "Connection" in body  # the refused attempt, logged


def test_admin_saves_the_ladder_and_sees_errors_next_to_fields(client, make):
    admin = make.user(role="admin")
    client.login_as(admin)
    page = client.get("/admin/support")
    assert page.status_code == 200 and 'value="30"' in page.get_data(as_text=True)
    ok = {"section": "ladder", "expert_minutes": "20", "escalate_hours": "12", "sla_hours": "4", "window_days": "7"}
    response = client.post("/admin/support", ok, csrf_from="/admin/support")
    assert location(response) == "/admin/support"
    assert ladder_settings() == {"expert_minutes": 20, "escalate_hours": 12, "sla_hours": 4, "window_days": 7}
    response = client.post("/admin/support", {**ok, "sla_hours": "0"})
    assert response.status_code == 422
    assert field_error(response, "sla_hours") == "Enter a whole number from 1 to 720."
    response = client.post("/admin/support", {**ok, "window_days": "many"})
    assert response.status_code == 422 and field_error(response, "window_days")
    response = client.post("/admin/support", {**ok, "expert_minutes": "900", "escalate_hours": "2"})
    assert "before the question goes to staff" in field_error(response, "expert_minutes")
    assert ladder_settings()["sla_hours"] == 4
    assert client.post("/admin/support", {"section": "other"}).status_code == 400


def test_admin_saves_the_webhook_and_the_secret_is_never_shown(client, make):
    admin = make.user(role="admin")
    client.login_as(admin)
    response = client.post("/admin/support", {"section": "webhook", "url": "ftp://helpdesk", "secret": "short"})
    assert response.status_code == 422 and field_error(response, "url")
    response = client.post("/admin/support", {"section": "webhook", "url": "https://helpdesk.example/hook",
                                              "secret": "sixteen-chars-or-more"})
    assert location(response) == "/admin/support"
    page = client.get("/admin/support").get_data(as_text=True)
    assert "https://helpdesk.example/hook" in page and "sixteen-chars-or-more" not in page
    assert 'type="password"' in page
    # A blank secret keeps the stored one.
    client.post("/admin/support", {"section": "webhook", "url": "https://helpdesk.example/v2", "secret": ""})
    assert webhook_settings() == {"url": "https://helpdesk.example/v2", "secret": "sixteen-chars-or-more"}


def test_the_expert_queue_waits_the_ladder_time(client, make):
    admin = make.user(role="admin")
    from support.sla import save_ladder_settings

    save_ladder_settings(admin, {"expert_minutes": 45, "escalate_hours": 24, "sla_hours": 8, "window_days": 14})
    client.login_as(admin)
    assert "after 45 minutes" in text(client.get("/questions/needs-expert"))
