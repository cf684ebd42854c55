"""Vote buttons (plain form and JSON) and accepting the answer that solved it."""

import re

import pytest

from support.extensions import db
from support.models import Answer, Question

from .helpers import elements, flashes, location, shown_answers, text

JSON = {"Accept": "application/json"}


def score_shown(response, kind, post_id):
    match = re.search(
        rf'data-kind="{kind}" data-id="{post_id}">.*?<span class="score"[^>]*>(-?\d+)</span>',
        response.get_data(as_text=True), re.S,
    )
    return int(match.group(1))


def vote(client, kind, post_id, value, **kwargs):
    return client.post(f"/{kind}s/{post_id}/vote", {"value": str(value)}, **kwargs)


# --- plain HTML vote buttons -------------------------------------------------------------

def test_vote_buttons_are_forms_with_csrf(client, make):
    question = make.question()
    client.login_as(make.user())
    forms = [f for f in elements(client.get(f"/questions/{question.id}")).forms
             if f["attrs"].get("action") == f"/questions/{question.id}/vote"]
    assert [f["inputs"]["value"] for f in forms] == ["1", "-1"]
    assert all(f["inputs"]["csrf_token"] for f in forms)


def test_upvote_with_the_form_then_retract(client, make, doctor):
    question = make.question()
    client.login_as(make.user())
    response = vote(client, "question", question.id, 1)
    assert location(response) == f"/questions/{question.id}"
    page = client.get(f"/questions/{question.id}")
    assert score_shown(page, "question", question.id) == 1
    # The pressed button now retracts (value 0) and says it is pressed.
    up = [f for f in elements(page).forms if f["attrs"].get("action") == f"/questions/{question.id}/vote"][0]
    assert up["inputs"]["value"] == "0"
    assert 'class="vote up active" aria-pressed="true"' in page.get_data(as_text=True)

    vote(client, "question", question.id, 0)
    assert score_shown(client.get(f"/questions/{question.id}"), "question", question.id) == 0
    doctor()


def test_answer_vote_goes_back_to_the_answer(client, make):
    answer = make.answer(make.question())
    client.login_as(make.user())
    assert location(vote(client, "answer", answer.id, 1)) == f"/questions/{answer.question_id}#answer-{answer.id}"
    assert db.session.get(Answer, answer.id).score == 1


def test_own_post_vote_is_refused_with_a_message(client, make):
    author = make.user()
    question = make.question(author=author)
    client.login_as(author)
    vote(client, "question", question.id, 1)
    page = client.get(f"/questions/{question.id}")
    assert "You cannot vote on your own post." in flashes(page)
    assert score_shown(page, "question", question.id) == 0


def test_newcomer_cannot_downvote(client, make):
    answer = make.answer(make.question())
    client.login_as(make.user(points=1))
    vote(client, "answer", answer.id, -1)
    page = client.get(f"/questions/{answer.question_id}")
    assert "Downvoting unlocks at the Contributor rank (125 points)." in flashes(page)
    assert db.session.get(Answer, answer.id).score == 0


@pytest.mark.parametrize("value", ["2", "up", "", "1.0", "-0"])
def test_bad_vote_values_are_a_400(client, make, value):
    question = make.question()
    client.login_as(make.user())
    assert client.post(f"/questions/{question.id}/vote", {"value": value}).status_code == 400
    assert db.session.get(Question, question.id).score == 0


def test_voting_on_a_missing_post_is_404(client, make):
    client.login_as(make.user())
    assert vote(client, "answer", 424242, 1).status_code == 404
    assert vote(client, "question", 424242, 1).status_code == 404


def test_vote_without_csrf_is_refused(client, make):
    question = make.question()
    client.login_as(make.user())
    assert client.client.post(f"/questions/{question.id}/vote", data={"value": "1"}).status_code == 400
    assert db.session.get(Question, question.id).score == 0


# --- the JSON variant (what app.js sends) ------------------------------------------------

def test_json_vote_returns_score_and_my_vote(client, make, doctor):
    answer = make.answer(make.question())
    client.login_as(make.user(points=200))
    first = vote(client, "answer", answer.id, 1, headers=JSON)
    assert first.status_code == 200 and first.get_json() == {"score": 1, "my_vote": 1}
    assert vote(client, "answer", answer.id, 1, headers=JSON).get_json() == {"score": 1, "my_vote": 1}
    assert vote(client, "answer", answer.id, -1, headers=JSON).get_json() == {"score": -1, "my_vote": -1}
    assert vote(client, "answer", answer.id, 0, headers=JSON).get_json() == {"score": 0, "my_vote": 0}
    doctor()


def test_json_vote_with_the_csrf_header_like_app_js(client, make):
    question = make.question()
    client.login_as(make.user())
    token = client.csrf(f"/questions/{question.id}")
    response = client.client.post(f"/questions/{question.id}/vote", data={"value": "1"},
                                  headers={**JSON, "X-CSRFToken": token})
    assert response.get_json() == {"score": 1, "my_vote": 1}


def test_json_vote_errors_are_json(client, make):
    author = make.user()
    question = make.question(author=author)
    client.login_as(author)
    own = vote(client, "question", question.id, 1, headers=JSON)
    assert own.status_code == 403
    assert own.get_json()["error"]["message"] == "You cannot vote on your own post."
    bad = vote(client, "question", question.id, 7, headers=JSON)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid"
    missing = vote(client, "answer", 424242, 1, headers=JSON)
    assert missing.status_code == 404 and missing.is_json


def test_json_vote_when_logged_out_is_401(client, make):
    question = make.question()
    response = vote(client, "question", question.id, 1, headers=JSON)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


# --- accepting ---------------------------------------------------------------------------

@pytest.fixture
def thread(make):
    asker = make.user()
    question = make.question(author=asker)
    first, second = make.answer(question), make.answer(question)
    return asker, question, first, second


def accept(client, answer, action="accept"):
    return client.post(f"/answers/{answer.id}/{action}", csrf_from=f"/questions/{answer.question_id}")


def test_asker_sees_accept_buttons_others_do_not(client, make, thread):
    asker, question, first, second = thread
    client.login_as(asker)
    assert text(client.get(f"/questions/{question.id}")).count("This solved my problem") == 2
    client.login_as(make.user(points=5000))
    assert "This solved my problem" not in text(client.get(f"/questions/{question.id}"))


def test_asker_accepts_moves_and_withdraws(client, thread, doctor):
    asker, question, first, second = thread
    client.login_as(asker)

    assert location(accept(client, second)) == f"/questions/{question.id}#answer-{second.id}"
    page = client.get(f"/questions/{question.id}")
    assert "Thank you for closing the loop!" in " ".join(flashes(page))
    assert shown_answers(page)[0] == second.id
    assert "✓ Solved" in text(page) and "Withdraw acceptance" in text(page)
    assert db.session.get(Question, question.id).accepted_answer_id == second.id

    accept(client, first)  # moves the acceptance
    assert db.session.get(Question, question.id).accepted_answer_id == first.id
    assert db.session.get(Answer, second.id).accepted_at is None
    assert shown_answers(client.get(f"/questions/{question.id}"))[0] == first.id
    doctor()

    accept(client, first, "unaccept")
    assert db.session.get(Question, question.id).accepted_answer_id is None
    assert "The acceptance was withdrawn." in flashes(client.get(f"/questions/{question.id}"))
    doctor()


def test_accepting_twice_changes_nothing(client, thread, doctor):
    asker, question, first, _ = thread
    client.login_as(asker)
    accept(client, first)
    accept(client, first)
    assert db.session.get(Question, question.id).accepted_answer_id == first.id
    doctor()


def test_withdrawing_an_answer_that_is_not_accepted_is_explained(client, thread):
    asker, question, first, _ = thread
    client.login_as(asker)
    response = accept(client, first, "unaccept")
    assert location(response) == f"/questions/{question.id}#answer-{first.id}"
    assert "This answer is not the accepted one." in flashes(client.get(f"/questions/{question.id}"))


def test_staff_accept_on_any_question(client, make, thread, doctor):
    _, question, first, _ = thread
    client.login_as(make.staff())
    accept(client, first)
    assert db.session.get(Question, question.id).accepted_answer_id == first.id
    doctor()


@pytest.mark.parametrize("who", ["member", "helper", "answerer"])
@pytest.mark.parametrize("action", ["accept", "unaccept"])
def test_others_cannot_accept_or_withdraw(client, make, thread, who, action):
    asker, question, first, second = thread
    if action == "unaccept":
        make.accept(asker, first)
    person = {"member": make.user(), "helper": make.user(points=5000), "answerer": first.author}[who]
    client.login_as(person)
    response = accept(client, first if action == "unaccept" else second, action)
    assert response.status_code == 403
    assert "Only the person who asked, or staff, can accept an answer." in text(response)
    expected = first.id if action == "unaccept" else None
    assert db.session.get(Question, question.id).accepted_answer_id == expected


def test_accepting_a_missing_answer_is_404(client, make):
    client.login_as(make.staff())
    assert client.post("/answers/424242/accept").status_code == 404


def test_accept_needs_login_and_csrf(client, thread):
    asker, question, first, _ = thread
    assert location(accept(client, first)).startswith("/login")
    client.login_as(asker)
    assert client.client.post(f"/answers/{first.id}/accept").status_code == 400
    assert db.session.get(Question, question.id).accepted_answer_id is None
