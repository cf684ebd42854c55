"""The caller's notifications through the API: only one's own, in one's language, marked read."""

import pytest
from sqlalchemy import delete

from support.extensions import db
from support.models import Notification
from support.notify import render


@pytest.fixture
def story(api, make):
    """Staff escalate a member's question, take it and resolve it: the asker hears of each step."""
    asker = make.user(locale="en")
    staff = make.staff(locale="en")
    question = make.question(author=asker, title="Il router si riavvia da solo ogni notte")
    # The "curious" badge for a first question is not part of this story.
    db.session.execute(delete(Notification))
    db.session.commit()
    api.acting(staff)
    eid = api.post(f"/api/v1/questions/{question.id}/escalate", json={}).get_json()["escalation"]["id"]
    assert api.patch(f"/api/v1/escalations/{eid}", json={"status": "assigned"}).status_code == 200
    assert api.patch(f"/api/v1/escalations/{eid}", json={"status": "resolved"}).status_code == 200
    api.anonymous()
    return asker, staff, question


def listing(api, user, query="") -> dict:
    response = api.acting(user).get(f"/api/v1/notifications{query}")
    assert response.status_code == 200
    return response.get_json()


def mark(api, user, body=None):
    return api.acting(user).post("/api/v1/notifications/read", json=body)


def test_the_asker_reads_their_notifications_newest_first(api, story):
    asker, _staff, question = story

    mine = listing(api, asker)

    assert mine["unread"] == 3
    assert [n["kind"] for n in mine["items"]] == ["escalation_resolved", "escalation_assigned", "escalation_opened"]
    assert all(question.title in n["text"] and not n["read"] for n in mine["items"])
    assert "from our support team is looking after your question" in mine["items"][1]["text"]
    assert mine["items"][0]["url"] == f"/questions/{question.id}#csat"
    assert {n["channel"] for n in mine["items"]} <= {"email", "sms", "in_app"}
    assert [n["kind"] for n in listing(api, asker, "?limit=1")["items"]] == ["escalation_resolved"]
    assert len(listing(api, asker, "?limit=nonsense")["items"]) == 3


def test_texts_are_in_the_callers_language(api, make):
    asker = make.user(locale="it")
    question = make.question(author=asker)
    api.acting(make.staff()).post(f"/api/v1/questions/{question.id}/escalate", json={})

    item = listing(api, asker)["items"][0]

    stored = db.session.get(Notification, item["id"])
    assert item["text"] == render(stored, "it")


def test_members_only_see_their_own(api, make, story):
    asker, staff, _question = story
    stranger = make.user()

    assert listing(api, stranger) == {"unread": 0, "items": []}
    # The staff member who acted is not told of their own acts.
    assert listing(api, staff)["items"] == []
    assert api.anonymous().get("/api/v1/notifications").status_code == 401


def test_marking_some_and_then_all_read(api, story):
    asker, _staff, _question = story
    first, *others = [n["id"] for n in listing(api, asker)["items"]]

    response = mark(api, asker, {"ids": [first]})

    assert response.status_code == 200
    assert response.get_json() == {"marked": 1}
    after = listing(api, asker)
    assert after["unread"] == 2
    assert [n["read"] for n in after["items"]] == [True, False, False]
    assert mark(api, asker, {"ids": [first]}).get_json() == {"marked": 0}  # already read
    assert mark(api, asker, {"ids": []}).get_json() == {"marked": 0}
    assert mark(api, asker).get_json() == {"marked": 2}  # no ids: all of them
    assert listing(api, asker)["unread"] == 0


def test_nobody_marks_another_members_notifications(api, make, story):
    asker, staff, _question = story
    ids = [n["id"] for n in listing(api, asker)["items"]]

    for other in (make.user(), staff):
        assert mark(api, other, {"ids": ids}).get_json() == {"marked": 0}
        assert mark(api, other, {}).get_json() == {"marked": 0}
    assert listing(api, asker)["unread"] == 3
    assert mark(api, None, {"ids": ids}).status_code == 401
    assert listing(api, asker)["unread"] == 3


@pytest.mark.parametrize("body", [{"ids": "all"}, {"ids": [1, "2"]}, {"ids": [True]}, {"ids": 3}, [1, 2]])
def test_malformed_ids_are_refused(api, story, body):
    asker, _staff, _question = story
    response = mark(api, asker, body)
    assert response.status_code == 400
    assert listing(api, asker)["unread"] == 3


def test_ids_no_row_can_have_match_nothing(api, story):
    asker, _staff, _question = story
    assert mark(api, asker, {"ids": [0, -1, 10**30]}).get_json() == {"marked": 0}
    assert listing(api, asker)["unread"] == 3
