"""Questions through the API: list, ask, read a thread, edit."""

import pytest

from support.extensions import db
from support.models import Question, Revision

NEW_QUESTION = {
    "title": "Come trasferisco il credito residuo?",
    "body": "Sto passando a un'altra offerta e vorrei non perdere il credito che mi resta.",
    "tags": ["credito", "Offerte"],
}


def test_ask_publishes_the_question_as_the_caller(api, make, doctor):
    maria, someone_else = make.user(), make.user()
    response = api.as_user(maria).post(
        "/api/v1/questions",
        json={**NEW_QUESTION, "author_id": someone_else.id, "score": 50, "is_escalated": True},
    )

    assert response.status_code == 201
    question = response.get_json()["question"]
    assert question["title"] == NEW_QUESTION["title"]
    assert question["tags"] == ["credito", "offerte"]
    assert question["author"]["id"] == maria.id
    assert (question["score"], question["status"], question["answers"]) == (0, "open", [])
    assert question["body_html"].startswith("<p>")
    assert question["url"] == f"/questions/{question['id']}"
    assert db.session.get(Question, question["id"]).author_id == maria.id
    doctor()


def test_markdown_is_rendered_and_html_is_not_trusted(api, make):
    body = "Ho provato **tutto**: <script>alert(1)</script> e [un link](javascript:alert(1))."
    response = api.as_user(make.user()).post("/api/v1/questions", json={**NEW_QUESTION, "body": body})
    question = response.get_json()["question"]
    assert question["body"] == body
    assert "<strong>tutto</strong>" in question["body_html"]
    assert "<script>" not in question["body_html"]
    assert 'href="javascript' not in question["body_html"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": "Corto"}, "title"),
        ({"body": "Troppo breve"}, "body"),
        ({"body": "x" * 30_001}, "body"),
        ({"tags": []}, "tags"),
        ({"tags": ["uno", "due", "tre", "quattro", "cinque", "sei"]}, "tags"),
        ({"tags": ["non valido!"]}, "tags"),
    ],
)
def test_ask_refuses_invalid_values(api, make, change, field, doctor):
    response = api.as_user(make.user()).post("/api/v1/questions", json={**NEW_QUESTION, **change})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.query(Question).count() == 0
    doctor()


def test_anonymous_cannot_ask(api):
    response = api.post("/api/v1/questions", json=NEW_QUESTION)
    assert response.status_code == 401
    assert db.session.query(Question).count() == 0


def test_thread_has_answers_comments_and_my_votes(api, make):
    from support.services.posts import post_comment

    asker, helper, reader = make.user(), make.user(), make.user(points=20)
    question = make.question(author=asker)
    first = make.answer(question, author=make.user())
    best = make.answer(question, author=helper)
    make.accept(asker, best)
    make.vote(reader, question, 1)
    make.vote(reader, first, 1)
    post_comment(asker, "Grazie, provo subito.", answer_id=best.id)
    post_comment(reader, "Stesso problema anche per me.", question_id=question.id)

    thread = api.as_user(reader).get(f"/api/v1/questions/{question.id}").get_json()

    assert thread["status"] == "solved"
    assert thread["accepted_answer_id"] == best.id
    assert thread["score"] == 1 and thread["my_vote"] == 1
    assert [a["id"] for a in thread["answers"]] == [best.id, first.id]  # accepted first
    accepted = thread["answers"][0]
    assert accepted["is_accepted"] is True
    assert accepted["url"] == f"/questions/{question.id}#answer-{best.id}"
    assert [c["body"] for c in accepted["comments"]] == ["Grazie, provo subito."]
    assert [c["body"] for c in thread["comments"]] == ["Stesso problema anche per me."]
    assert [a["my_vote"] for a in thread["answers"]] == [0, 1]
    assert thread["answers"][1]["is_accepted"] is False
    # Read anonymously, there is no vote of mine.
    assert api.anonymous().get(f"/api/v1/questions/{question.id}").get_json()["my_vote"] == 0


@pytest.mark.parametrize("question_id", ["0", "-1", "2", "99999999999999999999", "abc", "1e3"])
def test_missing_question_is_404(api, make, question_id):
    make.question()
    response = api.get(f"/api/v1/questions/{question_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_deleted_question_is_404(api, make):
    from support.services.posts import delete_question

    question = make.question()
    delete_question(question.author, question.id)
    assert api.get(f"/api/v1/questions/{question.id}").status_code == 404


@pytest.mark.parametrize(
    "editor, status",
    [("author", 200), ("member", 403), ("helper", 200), ("staff", 200), ("anonymous", 401)],
)
def test_who_may_edit_a_question(api, make, person, editor, status, doctor):
    question = make.question(title="Come attivo la SIM che ho appena ricevuto?")
    user = question.author if editor == "author" else person(editor)

    response = api.acting(user).patch(
        f"/api/v1/questions/{question.id}",
        json={"title": "Come attivo la nuova SIM ricevuta ieri?", "tags": ["sim", "attivazione"], "summary": "titolo"},
    )

    assert response.status_code == status
    db.session.expire_all()
    stored = db.session.get(Question, question.id)
    if status == 200:
        edited = response.get_json()["question"]
        assert edited["title"] == "Come attivo la nuova SIM ricevuta ieri?"
        assert edited["tags"] == ["attivazione", "sim"]
        assert edited["edited_at"] is not None
        assert edited["body"] == stored.body  # left out, so unchanged
        assert db.session.query(Revision).filter_by(question_id=question.id).count() == 2
    else:
        assert stored.title == "Come attivo la SIM che ho appena ricevuto?"
    doctor()


def test_edit_refuses_invalid_values_and_keeps_the_question(api, make):
    question = make.question()
    response = api.as_user(question.author).patch(f"/api/v1/questions/{question.id}", json={"title": "No"})
    assert response.status_code == 422
    assert "title" in response.get_json()["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(Question, question.id).title != "No"


def _questions(api, **query):
    response = api.get("/api/v1/questions", query_string=query)
    assert response.status_code == 200
    return response.get_json()


def test_list_is_an_envelope_of_summaries(api, make):
    for _ in range(3):
        make.question()

    page = _questions(api, per_page=2, page=2, sort="newest")

    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 3)
    assert len(page["items"]) == 1
    summary = page["items"][0]
    assert "body" not in summary and "answers" not in summary
    assert summary["url"] == f"/questions/{summary['id']}"


@pytest.mark.parametrize("per_page, expected", [("500", 100), ("100", 100), ("0", 1), ("many", 20)])
def test_per_page_is_capped_at_100(api, per_page, expected):
    assert _questions(api, per_page=per_page)["per_page"] == expected


def test_list_filters_by_status_and_tag(api, make):
    asker = make.user()
    open_q = make.question(author=asker, tags=("roaming",))
    answered = make.question(author=asker, tags=("sim",))
    make.answer(answered)
    solved = make.question(author=asker, tags=("sim",))
    make.accept(asker, make.answer(solved))

    def ids(**query):
        return {item["id"] for item in _questions(api, **query)["items"]}

    assert ids(status="open") == {open_q.id}
    assert ids(status="answered") == {answered.id}
    assert ids(status="solved") == {solved.id}
    assert ids(status="escalated") == set()
    assert ids(tag="SIM") == {answered.id, solved.id}
    assert ids(tag="sim", status="solved") == {solved.id}
    assert ids(tag="nessuno") == set()
    assert ids(sort="unanswered") == {open_q.id}
    assert [item["status"] for item in _questions(api, status="solved")["items"]] == ["solved"]


def test_list_sorts_by_votes(api, make):
    low, high = make.question(), make.question()
    make.vote(make.user(), high, 1)
    items = _questions(api, sort="votes")["items"]
    assert [item["id"] for item in items] == [high.id, low.id]


@pytest.mark.parametrize("query", [{"status": "closed"}, {"sort": "random"}])
def test_list_refuses_unknown_filters(api, query):
    response = api.get("/api/v1/questions", query_string=query)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == set(query)


def test_list_survives_odd_tags(api, make):
    make.question()
    assert _questions(api, tag="\x00sim")["total"] == 1
    assert _questions(api, tag="x" * 500)["total"] == 0
