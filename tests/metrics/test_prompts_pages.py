"""The question page's deflection prompts: "Did this solve your problem?" and "would you have contacted support?"."""

import re

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.models.metrics import ContactFeedback, SolvedFeedback
from tests.pages.conftest import browser, client, make  # noqa: F401  (the page fixtures)
from tests.pages.helpers import counted_queries, flashes, location, text

SOLVED_Q = "Did this solve your problem?"
CONTACT_Q = "Without this answer, would you have contacted support?"
ASKER_Q = "Thank you for marking the answer. Without it, would you have contacted support?"


@pytest.fixture
def thread(make):
    """A solved thread: asker, answerer, the accepted answer."""
    asker = make.user(username="asker")
    question = make.question(author=asker)
    answerer = make.user(username="helper")
    answer = make.answer(question, author=answerer)
    make.accept(asker, answer)
    db.session.refresh(question)
    return question, asker, answerer, answer


def page(client, question):
    response = client.get(f"/questions/{question.id}")
    assert response.status_code == 200
    return response


def prompt_state(client, question) -> str | None:
    """Which prompt the page shows: solved, contact, asker or None (hidden steps are not shown)."""
    html = page(client, question).get_data(as_text=True)
    match = re.search(r'<section class="card deflection-prompt".*?</section>', html, re.S)
    if not match:
        return None
    visible = re.sub(r"<(form|p)\b[^>]*\bhidden\b[^>]*>.*?</\1>", "", match.group(0), flags=re.S)
    if SOLVED_Q in visible:
        return "solved"
    if ASKER_Q in visible:
        return "asker"
    return "contact" if CONTACT_Q in visible else None


def post_json(client, question_id, what, body, token=None):
    token = token or client.csrf("/")
    return client.client.post(f"/questions/{question_id}/{what}", json=body, headers={"X-CSRFToken": token})


def solved_rows():
    return db.session.execute(select(SolvedFeedback.visitor_key, SolvedFeedback.solved)).all()


def contact_rows():
    return db.session.execute(
        select(ContactFeedback.visitor_key, ContactFeedback.source, ContactFeedback.answer)).all()


# --- who sees what --------------------------------------------------------------------------

def test_readers_see_the_prompt_on_solved_threads_only(client, make, thread):
    question = thread[0]
    assert prompt_state(client, question) == "solved"  # anonymous visitors too
    client.login_as(make.user())
    assert prompt_state(client, question) == "solved"
    open_question = make.question()
    assert prompt_state(client, open_question) is None
    assert SOLVED_Q not in text(page(client, open_question))


def test_insiders_are_not_asked(client, make, thread):
    question, asker, answerer, _answer = thread
    for insider in (answerer, make.staff()):
        client.logout().login_as(insider)
        assert prompt_state(client, question) is None
    client.logout().login_as(asker)
    assert prompt_state(client, question) == "asker"


def test_insiders_cannot_answer_the_readers_prompt(client, make, thread):
    question, asker, answerer, _answer = thread
    for insider in (asker, answerer, make.staff()):
        client.logout().login_as(insider)
        response = post_json(client, question.id, "solved-it", {"solved": True})
        assert response.status_code == 403 and response.get_json()["error"]["message"]
    assert solved_rows() == []


# --- the reader's prompts -------------------------------------------------------------------

def test_yes_then_would_have_contacted(client, make, thread):
    question = thread[0]
    reader = make.user()
    client.login_as(reader)
    response = post_json(client, question.id, "solved-it", {"solved": True})
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "next": "contact", "message": "Glad it helped! One more question:"}
    assert solved_rows() == [(f"u:{reader.id}", True)]
    assert prompt_state(client, question) == "contact"

    response = post_json(client, question.id, "would-have-contacted", {"answer": "not_sure"})
    assert response.status_code == 200 and response.get_json()["next"] == "done"
    assert "Thank you" in response.get_json()["message"]
    assert contact_rows() == [(f"u:{reader.id}", "reader", "not_sure")]
    assert prompt_state(client, question) is None


def test_no_ends_the_prompts(client, thread):
    question = thread[0]
    response = post_json(client, question.id, "solved-it", {"solved": False})
    assert response.status_code == 200 and response.get_json()["next"] == "done"
    assert prompt_state(client, question) is None
    refused = post_json(client, question.id, "would-have-contacted", {"answer": "yes"})
    assert refused.status_code == 409 and contact_rows() == []


def test_would_have_contacted_needs_a_yes_first(client, make, thread):
    client.login_as(make.user())
    response = post_json(client, thread[0].id, "would-have-contacted", {"answer": "yes"})
    assert response.status_code == 409 and "Did this solve your problem?" in response.get_json()["error"]["message"]
    assert contact_rows() == []


def test_the_last_answer_wins(client, make, thread):
    question = thread[0]
    reader = make.user()
    client.login_as(reader)
    for solved in (True, False, True):
        assert post_json(client, question.id, "solved-it", {"solved": solved}).status_code == 200
    for answer in ("yes", "no"):
        assert post_json(client, question.id, "would-have-contacted", {"answer": answer}).status_code == 200
    assert solved_rows() == [(f"u:{reader.id}", True)]
    assert contact_rows() == [(f"u:{reader.id}", "reader", "no")]


def test_anonymous_visitors_answer_under_their_cookie(client, browser, thread):
    question = thread[0]
    first = post_json(client, question.id, "solved-it", {"solved": True})
    cookie = re.search(r"pp_visitor=([0-9a-f]{32})", first.headers.get("Set-Cookie", "")).group(1)
    assert prompt_state(client, question) == "contact"
    assert post_json(client, question.id, "would-have-contacted", {"answer": "yes"}).status_code == 200
    assert solved_rows() == [(f"c:{cookie}", True)]
    assert contact_rows() == [(f"c:{cookie}", "reader", "yes")]
    assert prompt_state(browser(), question) == "solved"  # another browser is another visitor


def test_the_plain_forms_work_without_javascript(client, make, thread):
    question = thread[0]
    reader = make.user()
    client.login_as(reader)
    csrf_from = f"/questions/{question.id}"
    response = client.post(f"/questions/{question.id}/solved-it", {"solved": "yes"}, csrf_from=csrf_from)
    assert location(response) == f"/questions/{question.id}#deflection-prompt"
    shown = page(client, question)
    assert "Glad it helped! One more question:" in flashes(shown)
    response = client.post(f"/questions/{question.id}/would-have-contacted", {"answer": "not_sure"},
                           csrf_from=csrf_from)
    assert location(response) == f"/questions/{question.id}#deflection-prompt"
    assert contact_rows() == [(f"u:{reader.id}", "reader", "not_sure")]
    bad = client.post(f"/questions/{question.id}/solved-it", {"solved": "maybe"}, csrf_from=csrf_from)
    assert "Answer yes or no." in flashes(client.get(location(bad)))


@pytest.mark.parametrize("what, body, status", [
    ("solved-it", {"solved": "maybe"}, 422), ("solved-it", {"solved": 1}, 422), ("solved-it", {}, 422),
    ("solved-it", [True], 400), ("solved-it", "yes", 400),
    ("would-have-contacted", {"answer": "perhaps"}, 422), ("would-have-contacted", {"answer": None}, 422),
    ("would-have-contacted", {"answer": ["yes"]}, 422),
])
def test_bad_answers_are_refused_with_a_message(client, thread, what, body, status):
    post_json(client, thread[0].id, "solved-it", {"solved": True})
    before = (solved_rows(), contact_rows())
    response = post_json(client, thread[0].id, what, body)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]
    assert (solved_rows(), contact_rows()) == before


def test_unknown_and_unsolved_questions(client, make):
    assert post_json(client, 999_999, "solved-it", {"solved": True}).status_code == 404
    assert post_json(client, 999_999, "would-have-contacted", {"answer": "yes"}).status_code == 404
    unsolved = make.question()
    response = post_json(client, unsolved.id, "solved-it", {"solved": True})
    assert response.status_code == 409 and "no accepted answer" in response.get_json()["error"]["message"]
    assert solved_rows() == []


def test_answers_need_a_csrf_token(client, thread):
    response = client.client.post(f"/questions/{thread[0].id}/solved-it", json={"solved": True})
    assert response.status_code == 400 and solved_rows() == []


# --- the asker's version --------------------------------------------------------------------

def test_the_asker_is_asked_after_accepting(client, make):
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question)
    client.login_as(asker)
    assert prompt_state(client, question) is None  # not solved yet
    response = client.post(f"/answers/{answer.id}/accept", csrf_from=f"/questions/{question.id}")
    assert response.status_code == 302
    assert prompt_state(client, question) == "asker"
    response = post_json(client, question.id, "would-have-contacted", {"answer": "yes"})
    assert response.status_code == 200
    assert contact_rows() == [(f"u:{asker.id}", "asker", "yes")]
    assert prompt_state(client, question) is None
    # The asker's answer can be changed, still one row.
    assert post_json(client, question.id, "would-have-contacted", {"answer": "no"}).status_code == 200
    assert contact_rows() == [(f"u:{asker.id}", "asker", "no")]


# --- cheap to render ------------------------------------------------------------------------



def test_the_prompt_state_costs_one_query(client, make, thread):
    question = thread[0]
    client.login_as(make.user())
    page(client, question)  # warm up
    with counted_queries() as statements:
        page(client, question)
    feedback = [s for s in statements if "solved_feedback" in s or "contact_feedback" in s]
    assert len(feedback) == 1, feedback
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert db.session.scalar(select(func.count()).select_from(SolvedFeedback)) == 0
