"""Answer pages: post, errors on the question page, edit with history, delete, comments."""

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.models import Answer, Comment, Question

from .helpers import elements, field_error, flashes, form_errors, location, shown_answers, text

ANSWER = "Switch roaming on in Settings > Mobile data, then restart the phone."


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# --- posting -----------------------------------------------------------------------------

def test_post_an_answer_and_land_on_it(client, make):
    question = make.question()
    client.login_as(make.user(display_name="Luca"))
    response = client.post(f"/questions/{question.id}/answers", {"body": ANSWER}, csrf_from=f"/questions/{question.id}")
    answer = db.session.scalar(select(Answer))
    assert location(response) == f"/questions/{question.id}#answer-{answer.id}"
    page = client.get(f"/questions/{question.id}")
    assert "Thank you for helping!" in flashes(page)
    assert shown_answers(page) == [answer.id]
    assert "Settings &gt; Mobile data" in page.get_data(as_text=True)
    assert "1 answer" in text(page) and "Answered" in text(page)
    assert db.session.get(Question, question.id).answer_count == 1


@pytest.mark.parametrize(
    "body, message",
    [("", "This field is required."), ("too short", "between 10 and 30000"), ("x" * 30_001, "between 10 and 30000"),
     ("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e", "This field is required.")],
    ids=["empty", "short", "long", "only-control-characters"],
)
def test_a_bad_answer_re_renders_the_question_with_422(client, make, body, message):
    question = make.question(title="How do I top up from abroad?")
    client.login_as(make.user())
    response = client.post(f"/questions/{question.id}/answers", {"body": body})
    assert response.status_code == 422
    assert "How do I top up from abroad?" in text(response)  # still the question page
    assert message in (field_error(response, "body") or "")
    assert count(Answer) == 0


def test_a_member_suspended_meanwhile_is_signed_out_and_nothing_is_posted(client, make):
    question = make.question()
    member = make.user()
    client.login_as(member)
    member.is_active_account = False
    db.session.commit()
    response = client.post(f"/questions/{question.id}/answers", {"body": ANSWER})
    assert location(response).startswith("/login")
    assert count(Answer) == 0


def test_answer_form_shows_service_errors_that_name_no_field(client, make, monkeypatch):
    from support.errors import Forbidden
    from support.services import posts

    def refuse(*args, **kwargs):
        raise Forbidden("Answers are closed on this question.")

    monkeypatch.setattr(posts, "post_answer", refuse)
    question = make.question()
    client.login_as(make.user())
    response = client.post(f"/questions/{question.id}/answers", {"body": ANSWER})
    assert response.status_code == 422
    assert form_errors(response) == "Answers are closed on this question."


def test_answering_needs_login(client, make):
    question = make.question()
    page = client.get(f"/questions/{question.id}")
    assert f'href="/login?next=/questions/{question.id}"' in page.get_data(as_text=True)
    response = client.post(f"/questions/{question.id}/answers", {"body": ANSWER})
    assert location(response).startswith("/login")
    assert count(Answer) == 0


def test_answering_a_missing_question_is_404(client, make):
    client.login_as(make.user())
    assert client.post("/questions/424242/answers", {"body": ANSWER}).status_code == 404


# --- editing -----------------------------------------------------------------------------

def test_author_edits_an_answer_and_the_history_keeps_both(client, make):
    author = make.user()
    answer = make.answer(make.question(), author=author, body="First version of my answer.")
    client.login_as(author)
    form = client.get(f"/answers/{answer.id}/edit")
    assert "First version of my answer." in form.get_data(as_text=True)
    response = client.post(f"/answers/{answer.id}/edit", {"body": "Second, better version of my answer.",
                                                         "summary": "more detail"})
    assert location(response) == f"/questions/{answer.question_id}#answer-{answer.id}"
    page = client.get(f"/questions/{answer.question_id}")
    assert "Second, better version" in text(page)
    assert f'href="/answers/{answer.id}/revisions">edited' in page.get_data(as_text=True)
    history = text(client.get(f"/answers/{answer.id}/revisions"))
    assert "History of this answer" in history
    assert "Version 2" in history and "Version 1" in history and "more detail" in history
    assert history.index("Second, better version") < history.index("First version of my answer.")


def test_answer_edit_errors_are_shown(client, make):
    author = make.user()
    answer = make.answer(make.question(), author=author)
    client.login_as(author)
    response = client.post(f"/answers/{answer.id}/edit", {"body": "short"})
    assert response.status_code == 200
    assert "between 10 and 30000" in field_error(response, "body")


@pytest.mark.parametrize(
    "who, allowed", [("newcomer", False), ("contributor", False), ("helper", True), ("staff", True)]
)
def test_who_may_edit_someone_elses_answer(client, make, who, allowed):
    answer = make.answer(make.question(), body="The original answer text.")
    editor = {"newcomer": lambda: make.user(), "contributor": lambda: make.user(points=125),
              "helper": lambda: make.user(points=500), "staff": lambda: make.staff()}[who]()
    client.login_as(editor)
    assert client.get(f"/answers/{answer.id}/edit").status_code == (200 if allowed else 403)
    response = client.post(f"/answers/{answer.id}/edit", {"body": "An edited answer by someone else."})
    assert response.status_code == (302 if allowed else 403)
    assert (db.session.get(Answer, answer.id).body == "An edited answer by someone else.") is allowed


@pytest.mark.parametrize("path", ["/answers/424242/edit", "/answers/0/edit", "/answers/abc/edit",
                                  "/answers/99999999999999999999/edit", "/answers/424242/revisions"])
def test_editing_a_missing_answer_is_404(client, make, path):
    client.login_as(make.staff())
    assert client.get(path).status_code == 404


# --- deleting ----------------------------------------------------------------------------

def delete(client, answer):
    return client.post(f"/answers/{answer.id}/delete", csrf_from=f"/questions/{answer.question_id}")


def test_author_deletes_an_answer(client, make, doctor):
    author = make.user()
    question = make.question()
    answer = make.answer(question, author=author)
    client.login_as(author)
    assert location(delete(client, answer)) == f"/questions/{question.id}"
    page = client.get(f"/questions/{question.id}")
    assert "The answer was removed." in flashes(page)
    assert shown_answers(page) == []
    assert db.session.get(Question, question.id).answer_count == 0
    doctor()


def test_deleting_the_accepted_answer_reopens_the_question(client, make, doctor):
    asker, author = make.user(), make.user()
    question = make.question(author=asker)
    answer = make.answer(question, author=author)
    make.answer(question)
    make.accept(asker, answer)
    client.login_as(author)
    delete(client, answer)
    fresh = db.session.get(Question, question.id)
    assert fresh.accepted_answer_id is None and fresh.status == "answered"
    doctor()


@pytest.mark.parametrize("who", ["asker", "helper", "other"])
def test_others_cannot_delete_an_answer(client, make, who):
    asker = make.user()
    answer = make.answer(make.question(author=asker))
    client.login_as({"asker": asker, "helper": make.user(points=5000), "other": make.user()}[who])
    assert delete(client, answer).status_code == 403
    assert db.session.get(Answer, answer.id).deleted_at is None


def test_staff_delete_any_answer(client, make):
    answer = make.answer(make.question())
    client.login_as(make.staff())
    delete(client, answer)
    assert db.session.get(Answer, answer.id).deleted_at is not None


# --- comments ----------------------------------------------------------------------------

def comment(client, path, body="Did you try restarting it?"):
    return client.post(path, {"body": body})


def test_newcomer_comments_in_their_own_thread(client, make):
    asker = make.user(points=1)
    question = make.question(author=asker)
    answer = make.answer(question)
    client.login_as(asker)
    assert location(comment(client, f"/questions/{question.id}/comments")) == f"/questions/{question.id}#question"
    assert location(comment(client, f"/answers/{answer.id}/comments", "Thanks, that worked!")) == (
        f"/questions/{question.id}#answer-{answer.id}")
    page = client.get(f"/questions/{question.id}")
    assert "Did you try restarting it?" in text(page) and "Thanks, that worked!" in text(page)
    assert count(Comment) == 2


def test_newcomer_comments_under_their_own_answer(client, make):
    author = make.user(points=1)
    answer = make.answer(make.question(), author=author)
    client.login_as(author)
    comment(client, f"/answers/{answer.id}/comments", "Edit: also works on iOS 18.")
    assert count(Comment) == 1


def test_newcomer_cannot_comment_on_another_thread_and_is_told_why(client, make):
    question = make.question()
    newcomer = make.user(points=1)
    client.login_as(newcomer)
    page = client.get(f"/questions/{question.id}")
    assert "Add a comment" not in text(page)
    response = comment(client, f"/questions/{question.id}/comments")
    assert location(response) == f"/questions/{question.id}#question"
    messages = flashes(client.get(f"/questions/{question.id}"))
    assert "Commenting on other threads unlocks at the Member rank (15 points)." in messages
    assert count(Comment) == 0


def test_member_comments_anywhere(client, make):
    question = make.question()
    answer = make.answer(question)
    client.login_as(make.user(points=15))
    assert "Add a comment" in text(client.get(f"/questions/{question.id}"))
    comment(client, f"/questions/{question.id}/comments")
    comment(client, f"/answers/{answer.id}/comments")
    assert count(Comment) == 2


@pytest.mark.parametrize("body, message", [("", "This field is required."), ("x", "between 2 and 600"),
                                           ("x" * 601, "between 2 and 600")])
def test_a_bad_comment_is_explained(client, make, body, message):
    asker = make.user()
    question = make.question(author=asker)
    client.login_as(asker)
    comment(client, f"/questions/{question.id}/comments", body)
    assert any(message in m for m in flashes(client.get(f"/questions/{question.id}")))
    assert count(Comment) == 0


def test_comment_markdown_is_sanitized(client, make):
    asker = make.user()
    question = make.question(author=asker)
    client.login_as(asker)
    comment(client, f"/questions/{question.id}/comments", "**Bold** <script>alert(1)</script>")
    body = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in body and "<script>alert" not in body


@pytest.mark.parametrize("path", ["/questions/424242/comments", "/answers/424242/comments"])
def test_commenting_on_a_missing_post_is_404(client, make, path):
    client.login_as(make.staff())
    assert comment(client, path).status_code == 404


def test_comment_forms_carry_a_csrf_token(client, make):
    asker = make.user()
    question = make.question(author=asker)
    make.answer(question)
    client.login_as(asker)
    page = elements(client.get(f"/questions/{question.id}"))
    forms = [f for f in page.forms if f["attrs"].get("action", "").endswith("/comments")]
    assert len(forms) == 2 and all(f["inputs"].get("csrf_token") for f in forms)
