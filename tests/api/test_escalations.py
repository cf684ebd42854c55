"""Support staff through the API: escalating, the staff queue, the state machine, verified
answers and CSAT; and that members never reach staff data."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest

from support.models.base import clock_at, utcnow
from support.services.escalations import TRANSITIONS

from .conftest import CheckedApiClient

NOTE = "Il cliente ha già provato a riavviare; controllare la copertura della cella."


def escalate(api, user, question, reason=None):
    body = {"reason": reason} if reason is not None else {}
    return api.acting(user).post(f"/api/v1/questions/{question.id}/escalate", json=body)


def patch(api, user, escalation_id, **body):
    return api.acting(user).patch(f"/api/v1/escalations/{escalation_id}", json=body)


def detail(api, staff, escalation_id) -> dict:
    response = api.acting(staff).get(f"/api/v1/escalations/{escalation_id}")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def thread(make):
    """An asker's unsolved question and a staff member (who reads messages in English)."""
    asker = make.user()
    question = make.question(author=asker, tags=("sim", "roaming"))
    return SimpleNamespace(asker=asker, staff=make.staff(locale="en"), question=question)


@pytest.fixture
def escalated(api, thread):
    """The thread, escalated by its asker."""
    response = escalate(api, thread.asker, thread.question, "Ancora nessun segnale dopo due giorni.")
    assert response.status_code == 201
    thread.escalation = response.get_json()["escalation"]
    return thread


# Escalating -----------------------------------------------------------------------------


def test_the_asker_escalates_their_question(api, thread):
    before = utcnow()
    response = escalate(api, thread.asker, thread.question, "  Ancora nessun segnale.  ")

    assert response.status_code == 201
    escalation = response.get_json()["escalation"]
    assert escalation["question_id"] == thread.question.id
    assert (escalation["status"], escalation["source"], escalation["reason"]) == ("open", "asker", "Ancora nessun segnale.")
    assert (escalation["assignee"], escalation["resolved_at"], escalation["resolution"]) == (None, None, None)
    assert escalation["breached"] is False
    assert escalation["url"] == f"/staff/escalations/{escalation['id']}"
    assert escalation["sla_due_at"] > escalation["created_at"] >= before.isoformat()[:19]
    assert api.get(f"/api/v1/questions/{thread.question.id}").get_json()["status"] == "escalated"


def test_the_reason_is_optional(api, thread):
    response = escalate(api, thread.asker, thread.question)
    assert response.status_code == 201
    assert response.get_json()["escalation"]["reason"] == ""


def test_a_second_escalation_of_an_open_one_is_a_conflict(api, escalated):
    response = escalate(api, escalated.asker, escalated.question)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "already_escalated"
    # Not even staff can open a second one while the first is unresolved.
    assert escalate(api, escalated.staff, escalated.question).status_code == 409


def test_after_a_resolution_the_asker_can_escalate_again(api, escalated):
    assert patch(api, escalated.staff, escalated.escalation["id"], status="resolved").status_code == 200
    again = escalate(api, escalated.asker, escalated.question)
    assert again.status_code == 201
    assert again.get_json()["escalation"]["id"] != escalated.escalation["id"]


@pytest.mark.parametrize("second", ["asker", "staff"])
def test_parallel_clicks_open_one_escalation(app, api, thread, second):
    clients = [CheckedApiClient(app.test_client()).acting(user) for user in (thread.asker, getattr(thread, second))]
    url = f"/api/v1/questions/{thread.question.id}/escalate"  # read here: the threads must not touch our session
    barrier = threading.Barrier(len(clients))
    statuses = []

    def click(client):
        with app.app_context():
            barrier.wait()
            statuses.append(client.post(url, json={}).status_code)

    workers = [threading.Thread(target=click, args=(client,)) for client in clients]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(statuses) == [201, 409]
    listed = api.acting(thread.staff).get("/api/v1/escalations").get_json()
    assert [item["question_id"] for item in listed["items"]] == [thread.question.id]


def test_staff_escalate_any_thread(api, make, thread):
    other = make.question()
    response = escalate(api, thread.staff, other, "Segnalato dal team social.")
    assert response.status_code == 201
    assert response.get_json()["escalation"]["source"] == "staff"


@pytest.mark.parametrize("kind, status", [("member", 403), ("helper", 403), ("anonymous", 401)])
def test_only_the_asker_or_staff_escalate(api, person, thread, kind, status):
    response = escalate(api, person(kind), thread.question)
    assert response.status_code == status
    assert api.get(f"/api/v1/questions/{thread.question.id}").get_json()["status"] != "escalated"


@pytest.mark.parametrize("body, status", [({"reason": 42}, 400), ({"reason": "x" * 2001}, 422)])
def test_escalation_refused_for_bad_reasons(api, thread, body, status):
    response = api.acting(thread.asker).post(f"/api/v1/questions/{thread.question.id}/escalate", json=body)
    assert response.status_code == status


def test_escalating_an_unknown_question_is_404(api, thread):
    assert api.acting(thread.staff).post("/api/v1/questions/999999/escalate", json={}).status_code == 404


# Members never reach staff data -----------------------------------------------------------


@pytest.mark.parametrize("kind, status", [("member", 403), ("helper", 403), ("anonymous", 401)])
def test_members_cannot_read_or_change_escalations(api, person, escalated, kind, status):
    patch(api, escalated.staff, escalated.escalation["id"], note=NOTE)
    eid = escalated.escalation["id"]
    for who in (person(kind), escalated.asker if kind != "anonymous" else None):
        api.acting(who)
        assert api.get("/api/v1/escalations").status_code == status
        assert api.get("/api/v1/escalations?status=open").status_code == status
        assert api.get(f"/api/v1/escalations/{eid}").status_code == status
        assert api.patch(f"/api/v1/escalations/{eid}", json={"status": "resolved"}).status_code == status
        # Not even whether an escalation exists.
        assert api.get("/api/v1/escalations/999999").status_code == status
    assert detail(api, escalated.staff, eid)["escalation"]["status"] == "open"


def test_the_thread_never_shows_staff_notes(api, escalated):
    assert patch(api, escalated.staff, escalated.escalation["id"], note=NOTE).status_code == 200
    for who in (None, escalated.asker, escalated.staff):
        response = api.acting(who).get(f"/api/v1/questions/{escalated.question.id}")
        assert response.status_code == 200
        assert "controllare la copertura" not in response.get_data(as_text=True)
        assert "notes" not in response.get_json()


def test_unknown_escalation_is_404_for_staff(api, thread):
    assert api.acting(thread.staff).get("/api/v1/escalations/999999").status_code == 404
    assert patch(api, thread.staff, 999999, status="assigned").status_code == 404


# The staff queue ----------------------------------------------------------------------------


def test_staff_list_active_escalations_most_urgent_first(api, make, thread):
    now = utcnow()
    questions = [make.question(author=thread.asker, tags=(tag,)) for tag in ("sim", "fibra", "sim")]
    ids = []
    # Escalated an hour apart, the newest first: the oldest is due first.
    for hours_ago, question in zip((1, 3, 2), questions):
        with clock_at(now - timedelta(hours=hours_ago)):
            ids.append(escalate(api, thread.asker, question).get_json()["escalation"]["id"])

    page = api.acting(thread.staff).get("/api/v1/escalations?status=open").get_json()
    assert [item["id"] for item in page["items"]] == [ids[1], ids[2], ids[0]]
    assert (page["page"], page["total"]) == (1, 3)

    tagged = api.get("/api/v1/escalations?status=open&tag=sim").get_json()
    assert [item["id"] for item in tagged["items"]] == [ids[2], ids[0]]
    assert api.get("/api/v1/escalations?status=open&per_page=1&page=2").get_json()["items"][0]["id"] == ids[2]


def test_staff_filter_by_status_and_owner(api, make, thread):
    colleague = make.staff()
    ids = [escalate(api, thread.asker, make.question(author=thread.asker)).get_json()["escalation"]["id"]
           for _ in range(4)]
    patch(api, thread.staff, ids[0], status="assigned")
    patch(api, thread.staff, ids[1], assignee_id=colleague.id)
    patch(api, thread.staff, ids[2], status="resolved", resolution="outside")
    patch(api, thread.staff, ids[3], status="resolved", resolution="outside")

    def listed(query, user=thread.staff):
        response = api.acting(user).get(f"/api/v1/escalations{query}")
        assert response.status_code == 200
        return [item["id"] for item in response.get_json()["items"]]

    assert listed("?status=assigned") == [ids[0], ids[1]]
    assert listed("?status=assigned&mine=true") == [ids[0]]
    assert listed("?status=assigned&mine=true", colleague) == [ids[1]]
    assert listed("?status=resolved") == [ids[3], ids[2]]  # newest resolution first
    assert listed("?mine=true") == [ids[0], ids[3], ids[2]]  # the resolver owns what they resolved
    assert listed("") == [ids[0], ids[1], ids[3], ids[2]]  # active first
    assert listed("?status=open") == []


@pytest.mark.parametrize("query", ["?status=closed", "?mine=yes"])
def test_bad_filters_are_422(api, thread, query):
    assert api.acting(thread.staff).get(f"/api/v1/escalations{query}").status_code == 422


def test_breached_after_the_sla_due_time(api, escalated):
    eid = escalated.escalation["id"]
    with clock_at(utcnow() + timedelta(hours=9)):  # the default SLA is 8 hours
        late = api.acting(escalated.staff).get("/api/v1/escalations?status=open").get_json()["items"][0]
        assert late["breached"] is True
        resolved = patch(api, escalated.staff, eid, status="resolved").get_json()["escalation"]
    assert resolved["breached"] is True  # resolved late stays late
    assert detail(api, escalated.staff, eid)["escalation"]["breached"] is True


# Working an escalation -------------------------------------------------------------------------


def test_staff_take_an_escalation(api, escalated):
    eid = escalated.escalation["id"]
    response = patch(api, escalated.staff, eid, status="assigned", note=NOTE)

    assert response.status_code == 200
    escalation = response.get_json()["escalation"]
    assert escalation["status"] == "assigned"
    assert escalation["assignee"]["id"] == escalated.staff.id
    seen = detail(api, escalated.staff, eid)
    assert seen["question"]["id"] == escalated.question.id
    assert [note["body"] for note in seen["notes"]] == [NOTE]
    assert seen["notes"][0]["author"]["id"] == escalated.staff.id
    assert "<p>" in seen["notes"][0]["body_html"]
    assert [(e["kind"], e["to_status"]) for e in seen["events"]] == [("opened", "open"), ("noted", None),
                                                                     ("assigned", "assigned")]
    # Taking it again (a double click) changes nothing.
    assert patch(api, escalated.staff, eid, status="assigned").status_code == 200
    assert len(detail(api, escalated.staff, eid)["events"]) == 3


def test_staff_hand_an_escalation_over(api, make, escalated):
    colleague = make.staff()
    eid = escalated.escalation["id"]
    patch(api, escalated.staff, eid, status="assigned")

    response = patch(api, escalated.staff, eid, assignee_id=colleague.id)

    assert response.status_code == 200
    assert response.get_json()["escalation"]["assignee"]["id"] == colleague.id
    handed = api.acting(colleague).get("/api/v1/notifications").get_json()["items"]
    assert [n["kind"] for n in handed] == ["escalation_handed"]
    assert handed[0]["url"] == f"/staff/escalations/{eid}"


@pytest.mark.parametrize("kind", ["member", "helper"])
def test_only_staff_can_own_an_escalation(api, person, escalated, kind):
    response = patch(api, escalated.staff, escalated.escalation["id"], assignee_id=person(kind).id)
    assert response.status_code == 422
    assert "assignee_id" in response.get_json()["error"]["fields"]
    assert detail(api, escalated.staff, escalated.escalation["id"])["escalation"]["assignee"] is None


@pytest.mark.parametrize("body, status", [
    ({}, 422),
    ({"status": "closed"}, 422),
    ({"status": "resolved", "resolution": "magic"}, 422),
    ({"assignee_id": 999999}, 422),
    ({"assignee_id": 10**30}, 422),
    ({"note": "x"}, 422),
    ({"status": 3}, 400),
    ({"assignee_id": "1"}, 400),
    ({"note": ["a note"]}, 400),
])
def test_invalid_changes_are_refused(api, escalated, body, status):
    eid = escalated.escalation["id"]
    assert patch(api, escalated.staff, eid, **body).status_code == status
    seen = detail(api, escalated.staff, eid)
    assert seen["escalation"]["status"] == "open"
    assert seen["notes"] == []


def test_resolve_with_a_resolution_and_not_again(api, escalated):
    eid = escalated.escalation["id"]
    response = patch(api, escalated.staff, eid, status="resolved", resolution="outside", note="Risolto al telefono.")

    assert response.status_code == 200
    escalation = response.get_json()["escalation"]
    assert (escalation["status"], escalation["resolution"]) == ("resolved", "outside")
    assert escalation["assignee"]["id"] == escalated.staff.id  # resolving makes the resolver the owner
    assert escalation["resolved_at"] is not None
    assert api.get(f"/api/v1/questions/{escalated.question.id}").get_json()["status"] != "escalated"

    again = patch(api, escalated.staff, eid, status="resolved", resolution="staff_answer")
    assert again.status_code == 409
    error = again.get_json()["error"]
    assert error["code"] == "illegal_transition"
    assert "already resolved" in error["message"]
    assert detail(api, escalated.staff, eid)["escalation"]["resolution"] == "outside"


def test_resolution_is_inferred_from_the_thread(api, make, escalated):
    answer = make.answer(escalated.question)
    make.accept(escalated.asker, answer)
    response = patch(api, escalated.staff, escalated.escalation["id"], status="resolved")
    assert response.get_json()["escalation"]["resolution"] == "community_answer"


def test_an_owned_escalation_never_goes_back_to_open(api, escalated):
    eid = escalated.escalation["id"]
    patch(api, escalated.staff, eid, status="assigned")
    events_before = detail(api, escalated.staff, eid)["events"]

    response = patch(api, escalated.staff, eid, status="open", note=NOTE)

    assert response.status_code == 409
    assert "another staff member" in response.get_json()["error"]["message"]
    seen = detail(api, escalated.staff, eid)
    assert seen["escalation"]["status"] == "assigned"
    assert seen["escalation"]["assignee"]["id"] == escalated.staff.id
    assert seen["notes"] == []  # all or nothing: the note went with the refused change
    assert seen["events"] == events_before


# The state machine, every (from, to) pair ----------------------------------------------------

ALLOWED = {
    ("open", "open"): False,
    ("open", "assigned"): True,
    ("open", "resolved"): True,
    ("assigned", "open"): False,
    ("assigned", "assigned"): True,  # a hand-over (or taking it again)
    ("assigned", "resolved"): True,
    ("resolved", "open"): False,
    ("resolved", "assigned"): False,
    ("resolved", "resolved"): False,
}


def test_the_table_is_the_services_state_machine():
    assert {pair for pair, allowed in ALLOWED.items() if allowed} == TRANSITIONS


@pytest.mark.parametrize("start, target", sorted(ALLOWED))
@pytest.mark.parametrize("hand_over", [False, True])
def test_every_transition(api, make, escalated, start, target, hand_over):
    eid = escalated.escalation["id"]
    colleague = make.staff()
    if start != "open":
        assert patch(api, escalated.staff, eid, status=start).status_code == 200
    before = detail(api, escalated.staff, eid)
    body = {"status": target}
    if hand_over and target != "open":
        body["assignee_id"] = colleague.id

    response = patch(api, escalated.staff, eid, **body)

    after = detail(api, escalated.staff, eid)
    if ALLOWED[(start, target)]:
        assert response.status_code == 200
        assert response.get_json()["escalation"]["status"] == target == after["escalation"]["status"]
        owner = colleague if "assignee_id" in body else escalated.staff
        assert after["escalation"]["assignee"]["id"] == owner.id
    else:
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "illegal_transition"
        assert after == before


# Verified answers ----------------------------------------------------------------------------


def points_of(api, user) -> int:
    return api.anonymous().get(f"/api/v1/users/{user.id}").get_json()["points"]


def test_staff_verify_and_unverify_a_members_answer(api, make, thread):
    author = make.user()
    answer = make.answer(thread.question, author=author)
    start = points_of(api, author)

    verified = api.acting(thread.staff).post(f"/api/v1/answers/{answer.id}/verify")
    assert verified.status_code == 200
    assert verified.get_json()["answer_id"] == answer.id
    assert verified.get_json()["verified"] is True
    assert points_of(api, author) == start + 10

    # A double click verifies once.
    assert api.acting(thread.staff).post(f"/api/v1/answers/{answer.id}/verify").status_code == 200
    assert points_of(api, author) == start + 10

    withdrawn = api.acting(thread.staff).delete(f"/api/v1/answers/{answer.id}/verify")
    assert withdrawn.status_code == 200
    assert withdrawn.get_json() == {"answer_id": answer.id, "verified": False, "verified_at": None}
    assert points_of(api, author) == start
    assert api.acting(thread.staff).delete(f"/api/v1/answers/{answer.id}/verify").status_code == 200
    assert points_of(api, author) == start
    ledger = api.get(f"/api/v1/users/{author.id}/points").get_json()["items"]
    # Awarded once, reversed once (newest first).
    assert [row["delta"] for row in ledger if row["reason"] == "answer_verified"] == [-10, 10]


@pytest.mark.parametrize("kind, status", [("member", 403), ("helper", 403), ("anonymous", 401)])
def test_only_staff_verify(api, make, person, thread, kind, status):
    author = make.user()
    answer = make.answer(thread.question, author=author)
    start = points_of(api, author)
    user = person(kind)
    assert api.acting(user).post(f"/api/v1/answers/{answer.id}/verify").status_code == status
    assert api.acting(user).delete(f"/api/v1/answers/{answer.id}/verify").status_code == status
    assert points_of(api, author) == start


def test_official_answers_are_not_verified(api, make, thread):
    official = make.answer(thread.question, author=make.staff())
    assert api.acting(thread.staff).post(f"/api/v1/answers/{official.id}/verify").status_code == 409
    assert api.acting(thread.staff).post("/api/v1/answers/999999/verify").status_code == 404


# CSAT -----------------------------------------------------------------------------------------


def test_the_asker_rates_a_solved_thread_once(api, make, thread):
    make.accept(thread.asker, make.answer(thread.question))
    url = f"/api/v1/questions/{thread.question.id}/csat"

    response = api.acting(thread.asker).post(url, json={"score": 5, "comment": "Velocissimi!"})

    assert response.status_code == 201
    assert response.get_json()["score"] == 5
    assert response.get_json()["subject"] == f"question:{thread.question.id}"
    again = api.post(url, json={"score": 1})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_rated"


def test_a_resolved_escalation_is_rated(api, escalated):
    patch(api, escalated.staff, escalated.escalation["id"], status="resolved")
    response = api.acting(escalated.asker).post(f"/api/v1/questions/{escalated.question.id}/csat", json={"score": 4})
    assert response.status_code == 201
    assert response.get_json()["subject"] == f"escalation:{escalated.escalation['id']}"


def test_nothing_to_rate_on_an_unsolved_thread(api, thread):
    response = api.acting(thread.asker).post(f"/api/v1/questions/{thread.question.id}/csat", json={"score": 3})
    assert response.status_code == 409


@pytest.mark.parametrize("kind, status", [("member", 403), ("staff", 403), ("anonymous", 401)])
def test_only_the_asker_rates(api, make, person, thread, kind, status):
    make.accept(thread.asker, make.answer(thread.question))
    response = api.acting(person(kind)).post(f"/api/v1/questions/{thread.question.id}/csat", json={"score": 5})
    assert response.status_code == status


@pytest.mark.parametrize("body, status", [
    ({"score": 6}, 422), ({"score": 0}, 422), ({}, 422), ({"score": "5"}, 400), ({"score": True}, 400),
    ({"score": 5, "comment": "x" * 1001}, 422),
])
def test_bad_ratings_are_refused(api, make, thread, body, status):
    make.accept(thread.asker, make.answer(thread.question))
    url = f"/api/v1/questions/{thread.question.id}/csat"
    assert api.acting(thread.asker).post(url, json=body).status_code == status
    assert api.post(url, json={"score": 5}).status_code == 201  # the refused one did not count
