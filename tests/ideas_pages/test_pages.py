"""The ideas board pages, as members and staff use them."""

import re
from datetime import timedelta

import pytest

from support.extensions import db
from support.models.base import clock_at, utcnow
from support.models.ideas import Idea, IdeaEvent
from support.services import ideas
from tests.pages.conftest import browser, client, make  # noqa: F401  (the page fixtures)
from tests.pages.helpers import elements, field_error, flashes, location, text


def _idea(author, title="Let me swap my SIM from the app", tags="app sim"):
    return ideas.post_idea(author, title, "It would save a trip to the shop for every customer.", tags)


def _reload(idea_id) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea_id)


def _listed(response) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="idea-summary" id="idea-(\d+)"', response.get_data(as_text=True))]


@pytest.fixture
def staff(make):
    return make.staff(username="sofia", display_name="Sofia Support")


@pytest.fixture
def author(make):
    return make.user(username="carla")


# The board.

def test_the_board_lists_sorts_and_filters(client, make, author, staff):
    quiet = _idea(author, "Paper bills once a year on request", "bills")
    popular = _idea(author, "Show my remaining data on the home screen", "app")
    for _n in range(2):
        ideas.vote(make.user(), popular.id)
    ideas.set_status(staff, quiet.id, "planned", "We will offer it from the spring release.")

    page = client.get("/ideas")
    assert page.status_code == 200
    assert set(_listed(page)) == {quiet.id, popular.id}
    assert "Propose an idea" in text(page)
    assert "We will offer it from the spring release." in text(page)  # the response excerpt

    assert _listed(client.get("/ideas?sort=top"))[0] == popular.id
    assert _listed(client.get("/ideas?sort=newest"))[0] == popular.id
    assert _listed(client.get("/ideas?status=planned")) == [quiet.id]
    assert _listed(client.get("/ideas?status=new")) == [popular.id]
    assert _listed(client.get("/ideas?tag=bills")) == [quiet.id]
    assert "Awaiting response" in text(client.get("/ideas"))


def test_nonsense_filters_fall_back_to_the_defaults(client, author):
    idea = _idea(author)
    assert _listed(client.get("/ideas?sort=drop&status=%00&tag=%00")) == [idea.id]


# Posting.

def test_posting_an_idea_through_the_form(client, author):
    client.login_as(author)
    assert client.get("/ideas/new").status_code == 200
    response = client.post("/ideas/new", {"title": "Let me pause my plan for a month",
                                          "body": "When I travel abroad I do not need my plan at home.",
                                          "tags": "plans, travel"})
    idea = db.session.scalars(db.select(Idea)).one()
    assert location(response) == f"/ideas/{idea.id}"
    assert sorted(t.name for t in idea.tags) == ["plans", "travel"]
    page = client.get(f"/ideas/{idea.id}")
    assert "Let me pause my plan for a month" in text(page)
    assert "Proposed" in text(page)  # the timeline starts


def test_a_bad_idea_form_shows_errors_and_creates_nothing(client, author, make):
    existing = _idea(make.user())
    client.login_as(author)
    response = client.post("/ideas/new", {"title": "Let me swap SIM in the app", "body": "short", "tags": "sim"})
    assert response.status_code == 422
    assert field_error(response, "body")
    # The similar ideas are shown after a failed submit too.
    assert f'/ideas/{existing.id}"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Idea.id))) == 1


def test_visitors_are_sent_to_log_in_to_post(client):
    assert location(client.get("/ideas/new")).startswith("/login")


# Voting.

def test_vote_and_unvote_change_the_count(client, make, author):
    idea = _idea(author)
    voter = make.user()
    client.login_as(voter)
    page = client.get(f"/ideas/{idea.id}")
    assert "You have 10 of 10 open votes left." in text(page)
    client.post(f"/ideas/{idea.id}/vote")
    assert _reload(idea.id).votes == 1
    page = client.get(f"/ideas/{idea.id}")
    assert "Voted: take my vote back" in text(page)
    assert "You have 9 of 10 open votes left." in text(page)
    client.post(f"/ideas/{idea.id}/unvote")
    assert _reload(idea.id).votes == 0
    assert "Vote for this idea" in text(client.get(f"/ideas/{idea.id}"))


def test_the_eleventh_open_vote_shows_the_limit(client, make, author):
    voter = make.user()
    all_ideas = [_idea(author, f"Idea number {n} for the board") for n in range(11)]
    for idea in all_ideas[:10]:
        ideas.vote(voter, idea.id)
    client.login_as(voter)
    response = client.post(f"/ideas/{all_ideas[10].id}/vote")
    page = client.get(location(response))
    assert any("You have used your 10 open votes" in m for m in flashes(page))
    assert _reload(all_ideas[10].id).votes == 0
    assert "You have 0 of 10 open votes left." in text(page)


# Staff: the status and the response.

def test_members_do_not_see_the_status_form_and_cannot_post_it(client, make, author):
    idea = _idea(author)
    client.login_as(make.user())
    page = client.get(f"/ideas/{idea.id}")
    assert f"/ideas/{idea.id}/status" not in page.get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/status", {"status": "planned", "response": "We will do it next month."})
    assert response.status_code == 403
    assert _reload(idea.id).status == "new"


def test_staff_set_a_status_with_a_response(client, staff, author):
    idea = _idea(author)
    client.login_as(staff)
    assert f"/ideas/{idea.id}/status" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/status",
                           {"status": "planned", "response": "Planned for the spring release of the app."})
    assert location(response).startswith(f"/ideas/{idea.id}")
    assert _reload(idea.id).status == "planned"
    page = client.get(f"/ideas/{idea.id}")
    body = page.get_data(as_text=True)
    assert "The company's response" in text(page)
    timeline = body[body.index('id="timeline-title"'):]
    assert "Planned for the spring release of the app." in timeline
    assert "Planned" in text(page)


def test_a_status_without_a_response_shows_the_error_and_changes_nothing(client, staff, author):
    idea = _idea(author)
    client.login_as(staff)
    response = client.post(f"/ideas/{idea.id}/status", {"status": "declined", "response": ""})
    assert response.status_code == 422
    assert field_error(response, "idea-response")
    assert _reload(idea.id).status == "new"
    assert db.session.scalar(db.select(db.func.count(IdeaEvent.id)).where(IdeaEvent.kind == "status")) == 0


def test_staff_merge_a_duplicate_through_the_page(client, make, staff, author):
    kept = _idea(author, "Let me swap my SIM from the app")
    duplicate = _idea(make.user(), "Swap the SIM card in the app please")
    voter = make.user()
    ideas.vote(voter, duplicate.id)
    client.login_as(staff)
    response = client.post(f"/ideas/{duplicate.id}/merge", {"kept_id": str(kept.id)})
    assert location(response) == f"/ideas/{kept.id}"
    assert _reload(duplicate.id).merged_into_id == kept.id
    assert _reload(kept.id).votes == 1
    page = client.get(f"/ideas/{duplicate.id}")
    assert "This idea was merged into a duplicate" in text(page)
    assert f'href="/ideas/{kept.id}"' in page.get_data(as_text=True)
    assert duplicate.id not in _listed(client.get("/ideas"))


def test_merging_into_a_missing_idea_says_so(client, staff, author):
    idea = _idea(author)
    client.login_as(staff)
    response = client.post(f"/ideas/{idea.id}/merge", {"kept_id": "9999"})
    assert response.status_code == 422
    assert field_error(response, "merge-kept")
    assert _reload(idea.id).merged_into_id is None


def test_comments_through_the_page(client, make, author):
    idea = _idea(author)
    client.login_as(make.user())
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "Yes please, I need this too."})
    assert location(response).startswith(f"/ideas/{idea.id}")
    assert "Yes please, I need this too." in text(client.get(f"/ideas/{idea.id}"))


def test_an_empty_comment_shows_the_error(client, make, author):
    idea = _idea(author)
    client.login_as(make.user())
    response = client.post(f"/ideas/{idea.id}/comments", {"body": ""})
    assert response.status_code == 422
    assert field_error(response, "idea-comment")
    assert ideas.comments_of(idea) == []


def test_the_nav_and_the_staff_nav_lead_to_the_ideas(client, staff):
    assert 'href="/ideas"' in client.get("/").get_data(as_text=True)
    client.login_as(staff)
    assert 'href="/staff/ideas"' in client.get("/staff/escalations").get_data(as_text=True)


def test_follow_and_unfollow(client, make, author):
    idea = _idea(author)
    member = make.user()
    client.login_as(member)
    client.post(f"/ideas/{idea.id}/follow")
    assert ideas.follows(member, idea)
    client.post(f"/ideas/{idea.id}/unfollow")
    assert not ideas.follows(member, idea)


# The staff page.

def test_the_staff_ideas_page_is_for_staff(client, make):
    client.login_as(make.user())
    assert client.get("/staff/ideas").status_code == 403


def test_the_staff_ideas_page_lists_waiting_ideas_and_the_report(client, staff, author):
    with clock_at(utcnow() - timedelta(days=20)):
        old = _idea(author, "Old idea nobody answered yet")
    fresh = _idea(author, "A fresh idea from this morning")
    client.login_as(staff)
    page = client.get("/staff/ideas")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    waiting = body[body.index('id="waiting"'):body.index('id="ideas-heard"')]
    assert f"/ideas/{old.id}" in waiting
    assert f"/ideas/{fresh.id}" not in waiting
    assert "41%" in text(page) and "Ideas heard" in text(page)
    assert "<svg" in body
    assert "/staff/ideas/settings" not in body  # the settings form is for administrators
    assert client.get("/staff/ideas?weeks=4").status_code == 200


def test_admins_save_the_ideas_settings(client, make):
    admin = make.user(role="admin")
    client.login_as(admin)
    response = client.post("/staff/ideas/settings", {"open_votes": "5", "waiting_days": "7"})
    assert location(response) == "/staff/ideas"
    assert ideas.ideas_settings() == {"open_votes": 5, "waiting_days": 7}


def test_staff_cannot_save_the_ideas_settings(client, staff):
    client.login_as(staff)
    assert client.post("/staff/ideas/settings", {"open_votes": "5", "waiting_days": "7"}).status_code == 403


# Similar ideas while typing.

def test_similar_ideas_as_json(client, author):
    idea = _idea(author, "Let me swap my SIM from the app")
    _idea(author, "Paper bills once a year on request")
    response = client.get("/ideas/similar?title=swap+SIM+app")
    assert response.status_code == 200
    found = response.get_json()
    assert [i["id"] for i in found] == [idea.id]
    assert found[0]["url"] == f"/ideas/{idea.id}" and found[0]["votes"] == 0 and found[0]["status"] == "new"
    assert client.get("/ideas/similar?title=").get_json() == []
    assert client.get("/ideas/similar?title=" + "x" * 5000).status_code == 200


# The strict CSP.

def test_no_inline_script_or_style_on_the_ideas_pages(client, staff, make):
    idea = _idea(make.user())
    client.login_as(make.user(role="admin"))
    for path in ["/ideas", "/ideas/new", f"/ideas/{idea.id}", "/staff/ideas"]:
        response = client.get(path)
        assert response.status_code == 200, path
        found = elements(response)
        assert not found.inline_scripts, path
        assert not [tag for tag, attrs in found.tags if "style" in attrs], path
        assert "<style" not in response.get_data(as_text=True), path
