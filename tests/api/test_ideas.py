"""The ideas board through the API: statuses and shapes, checked against the OpenAPI document."""

import pytest

from support.services import ideas

BODY = "It would help a lot if the app could do this for every customer."


@pytest.fixture
def idea(make):
    return ideas.post_idea(make.user(), "Scheduled top-ups from the app", BODY, ["app"])


def test_post_list_and_read(api, make):
    author = make.user()
    response = api.as_user(author).post("/api/v1/ideas", json={"title": "Dark mode for the app", "body": BODY,
                                                               "tags": ["app"]})
    assert response.status_code == 201
    created = response.get_json()["idea"]
    assert created["status"] == "new" and created["votes"] == 0 and created["tags"] == ["app"]
    assert created["author"]["id"] == author.id and created["url"] == f"/ideas/{created['id']}"

    listed = api.anonymous().get("/api/v1/ideas?sort=top&tag=app").get_json()
    assert [item["id"] for item in listed["items"]] == [created["id"]] and listed["total"] == 1
    assert api.get("/api/v1/ideas?status=planned").get_json()["items"] == []
    assert api.get("/api/v1/ideas?sort=sideways").status_code == 422

    one = api.get(f"/api/v1/ideas/{created['id']}").get_json()
    assert one["body_html"].startswith("<p>") and one["response"] is None and one["merged_into_id"] is None
    assert api.get("/api/v1/ideas/999999").status_code == 404


def test_post_needs_login_and_valid_fields(api, make):
    assert api.anonymous().post("/api/v1/ideas", json={"title": "A title long enough", "body": BODY}).status_code == 401
    response = api.as_user(make.user()).post("/api/v1/ideas", json={"title": "short", "body": BODY})
    assert response.status_code == 422 and "title" in response.get_json()["error"]["fields"]


def test_vote_and_retract(api, make, idea, doctor):
    path = f"/api/v1/ideas/{idea.id}/votes"
    assert api.anonymous().post(path).status_code == 401
    api.as_user(make.user())
    assert api.post(path).get_json() == {"votes": 1, "voted": True}
    assert api.post(path).get_json() == {"votes": 1, "voted": True}
    assert api.delete(path).get_json() == {"votes": 0, "voted": False}
    assert api.as_user(idea.author).post(path).status_code == 403
    doctor()


def test_vote_limit_and_closed_idea_are_409(api, make, idea):
    staff, voter = make.staff(), make.user()
    ideas.save_ideas_settings(make.user(role="admin"), {"open_votes": 1})
    other = ideas.post_idea(make.user(), "Another idea for the board", BODY, ["app"])
    api.as_user(voter)
    assert api.post(f"/api/v1/ideas/{idea.id}/votes").status_code == 200
    refused = api.post(f"/api/v1/ideas/{other.id}/votes")
    # The member's language is Italian (the factory's default): the message says so in Italian.
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "vote_limit"
    assert "voti disponibili" in refused.get_json()["error"]["message"]
    ideas.set_status(staff, other.id, "declined", "Not possible for legal reasons.")
    assert api.post(f"/api/v1/ideas/{other.id}/votes").status_code == 409


def test_staff_set_status(api, make, idea):
    path = f"/api/v1/ideas/{idea.id}"
    change = {"status": "planned", "response": "Planned for the spring release."}
    assert api.anonymous().patch(path, json=change).status_code == 401
    assert api.as_user(make.user()).patch(path, json=change).status_code == 403
    api.as_user(make.staff())
    missing = api.patch(path, json={"status": "planned"})
    assert missing.status_code == 422 and "response" in missing.get_json()["error"]["fields"]
    assert api.patch(path, json={"status": "planned", "response": "ok"}).status_code == 422
    assert api.patch(path, json={"status": "nonsense", "response": "A long enough reply."}).status_code == 422
    changed = api.patch(path, json=change)
    assert changed.status_code == 200
    body = changed.get_json()["idea"]
    assert body["status"] == "planned" and body["response"] == change["response"]
    assert "spring" in body["response_html"]
