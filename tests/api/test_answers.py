"""Answers, acceptance and comments through the API."""

import pytest

from support.extensions import db
from support.models import Answer, Comment, Question

ANSWER = "Dall'app: Profilo, poi Credito, poi Trasferisci. Ci vogliono pochi minuti."


def test_answer_is_posted_and_linked_to_its_question(api, make, doctor):
    question = make.question()
    helper = make.user()

    response = api.as_user(helper).post(
        f"/api/v1/questions/{question.id}/answers", json={"body": ANSWER, "is_accepted": True, "score": 10}
    )

    assert response.status_code == 201
    answer = response.get_json()["answer"]
    assert answer["author"]["id"] == helper.id
    assert answer["question_id"] == question.id
    assert (answer["score"], answer["is_accepted"], answer["is_official"]) == (0, False, False)
    assert answer["url"] == f"/questions/{question.id}#answer-{answer['id']}"
    thread = api.get(f"/api/v1/questions/{question.id}").get_json()
    assert thread["status"] == "answered"
    assert thread["answer_count"] == 1
    doctor()


def test_staff_answers_are_official(api, make, doctor):
    question = make.question()
    response = api.as_user(make.staff()).post(f"/api/v1/questions/{question.id}/answers", json={"body": ANSWER})
    assert response.get_json()["answer"]["is_official"] is True
    doctor()


@pytest.mark.parametrize(
    "question_id, body, status",
    [
        (None, {"body": "Breve"}, 422),
        (None, {"body": "x" * 30_001}, 422),
        (None, {}, 422),
        (None, {"body": ["testo"]}, 400),
        (999, {"body": ANSWER}, 404),
    ],
)
def test_answer_refused(api, make, question_id, body, status, doctor):
    question = make.question()
    response = api.as_user(make.user()).post(f"/api/v1/questions/{question_id or question.id}/answers", json=body)
    assert response.status_code == status
    assert db.session.query(Answer).count() == 0
    doctor()


def test_anonymous_cannot_answer(api, make):
    question = make.question()
    assert api.post(f"/api/v1/questions/{question.id}/answers", json={"body": ANSWER}).status_code == 401


@pytest.mark.parametrize(
    "editor, status",
    [("author", 200), ("member", 403), ("helper", 200), ("staff", 200), ("anonymous", 401)],
)
def test_who_may_edit_an_answer(api, make, person, editor, status, doctor):
    answer = make.answer(make.question())
    user = answer.author if editor == "author" else person(editor)

    response = api.acting(user).patch(f"/api/v1/answers/{answer.id}", json={"body": ANSWER, "summary": "più chiaro"})

    assert response.status_code == status
    db.session.expire_all()
    assert (db.session.get(Answer, answer.id).body == ANSWER) == (status == 200)
    if status == 200:
        assert response.get_json()["answer"]["edited_at"] is not None
    doctor()


def test_edit_answer_needs_a_body(api, make):
    answer = make.answer(make.question())
    response = api.as_user(answer.author).patch(f"/api/v1/answers/{answer.id}", json={"summary": "niente"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"body"}


@pytest.mark.parametrize(
    "actor, status",
    [("asker", 200), ("staff", 200), ("admin", 200), ("answerer", 403), ("helper", 403), ("anonymous", 401)],
)
def test_who_may_accept(api, make, person, actor, status, doctor):
    question = make.question()
    answer = make.answer(question)
    user = {"asker": question.author, "answerer": answer.author}.get(actor) or person(actor)

    response = api.acting(user).post(f"/api/v1/answers/{answer.id}/accept")

    assert response.status_code == status
    db.session.expire_all()
    assert (db.session.get(Question, question.id).accepted_answer_id == answer.id) == (status == 200)
    if status == 200:
        body = response.get_json()
        assert body["answer"]["is_accepted"] is True
        assert body["question"]["status"] == "solved"
        assert body["question"]["accepted_answer_id"] == answer.id
    doctor()


def test_accepting_another_answer_moves_the_acceptance(api, make, doctor):
    question = make.question()
    first, second = make.answer(question), make.answer(question)
    api.as_user(question.author)

    assert api.post(f"/api/v1/answers/{first.id}/accept").status_code == 200
    assert api.post(f"/api/v1/answers/{first.id}/accept").status_code == 200  # again: no change
    response = api.post(f"/api/v1/answers/{second.id}/accept")

    assert response.get_json()["question"]["accepted_answer_id"] == second.id
    thread = api.get(f"/api/v1/questions/{question.id}").get_json()
    assert {a["id"]: a["is_accepted"] for a in thread["answers"]} == {first.id: False, second.id: True}
    doctor()


def test_unaccept_reopens_the_question(api, make, doctor):
    question = make.question()
    answer = make.answer(question)
    make.accept(question.author, answer)

    response = api.as_user(question.author).delete(f"/api/v1/answers/{answer.id}/accept")

    assert response.status_code == 200
    assert response.get_json()["answer"]["is_accepted"] is False
    assert response.get_json()["question"]["status"] == "answered"
    assert api.delete(f"/api/v1/answers/{answer.id}/accept").status_code == 409  # no longer accepted
    doctor()


def test_only_asker_or_staff_may_unaccept(api, make, doctor):
    question = make.question()
    answer = make.answer(question)
    make.accept(question.author, answer)
    assert api.as_user(answer.author).delete(f"/api/v1/answers/{answer.id}/accept").status_code == 403
    assert api.as_user(make.staff()).delete(f"/api/v1/answers/{answer.id}/accept").status_code == 200
    doctor()


@pytest.mark.parametrize("path", ["/api/v1/answers/{}/accept", "/api/v1/answers/{}"])
@pytest.mark.parametrize("answer_id", ["0", "999", "99999999999999999999", "abc"])
def test_missing_answer_is_404(api, make, path, answer_id):
    make.answer(make.question())
    api.as_user(make.staff())
    method = api.post if path.endswith("accept") else api.patch
    response = method(path.format(answer_id), json={"body": ANSWER})
    assert response.status_code == 404


@pytest.mark.parametrize("on", ["question", "answer"])
def test_comment_on_question_or_answer(api, make, on, doctor):
    question = make.question()
    answer = make.answer(question)
    path = f"/api/v1/questions/{question.id}/comments" if on == "question" else f"/api/v1/answers/{answer.id}/comments"

    response = api.as_user(question.author).post(path, json={"body": "Grazie, ha funzionato!"})

    assert response.status_code == 201
    comment = response.get_json()["comment"]
    assert comment["author"]["id"] == question.author_id
    expected_target = (question.id, None) if on == "question" else (None, answer.id)
    assert (comment["question_id"], comment["answer_id"]) == expected_target
    thread = api.get(f"/api/v1/questions/{question.id}").get_json()
    where = thread if on == "question" else thread["answers"][0]
    assert [c["id"] for c in where["comments"]] == [comment["id"]]
    doctor()


@pytest.mark.parametrize(
    "commenter, body, status",
    [
        ("newcomer", {"body": "Anche io ho questo problema"}, 403),  # other threads unlock at Member
        ("member", {"body": "x"}, 422),
        ("member", {"body": "x" * 601}, 422),
        ("member", {"body": 42}, 400),
        ("anonymous", {"body": "Anche io ho questo problema"}, 401),
    ],
)
def test_comment_refused(api, make, commenter, body, status):
    question = make.question()
    user = {"newcomer": make.user(points=1), "member": make.user(points=20), "anonymous": None}[commenter]
    response = api.acting(user).post(f"/api/v1/questions/{question.id}/comments", json=body)
    assert response.status_code == status
    assert db.session.query(Comment).count() == 0


def test_comment_on_missing_post_is_404(api, make):
    user = make.user(points=20)
    assert api.as_user(user).post("/api/v1/questions/999/comments", json={"body": "Ciao a tutti"}).status_code == 404
    assert api.post("/api/v1/answers/999/comments", json={"body": "Ciao a tutti"}).status_code == 404
