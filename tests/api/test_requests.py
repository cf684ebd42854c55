"""What every endpoint does with broken requests, and how callers are identified."""

import pytest

from support.extensions import db
from support.models import Question

WRITES = [
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/token"),
    ("PATCH", "/api/v1/me/preferences"),
    ("POST", "/api/v1/questions"),
    ("PATCH", "/api/v1/questions/{question}"),
    ("POST", "/api/v1/questions/{question}/answers"),
    ("PATCH", "/api/v1/answers/{answer}"),
    ("POST", "/api/v1/questions/{question}/votes"),
    ("POST", "/api/v1/answers/{answer}/votes"),
    ("POST", "/api/v1/questions/{question}/comments"),
    ("POST", "/api/v1/answers/{answer}/comments"),
]
BROKEN_BODIES = {
    "invalid UTF-8": b'{"body": "caf\xe9 \xff"}',
    "not JSON": b'{"body": ',
    "a list": b'[{"body": "Una risposta abbastanza lunga"}]',
    "a string": b'"body"',
    "NaN": b'{"value": NaN, "body": NaN}',
    "too deep": b"[" * 100_000 + b"]" * 100_000,
    "a UTF-16 BOM": "\ufeff{}".encode("utf-16"),
}


@pytest.fixture
def thread(api, make):
    """A question with an answer, and the API acting as staff (who may do most things)."""
    question = make.question()
    answer = make.answer(question)
    api.as_user(make.staff())
    return {"question": question.id, "answer": answer.id}


@pytest.mark.parametrize("method, path", WRITES)
@pytest.mark.parametrize("problem", BROKEN_BODIES)
def test_broken_bodies_are_400(api, thread, method, path, problem, doctor):
    response = api.request(
        method, path.format(**thread), data=BROKEN_BODIES[problem], headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed"
    doctor()


@pytest.mark.parametrize("method, path", WRITES)
def test_huge_requests_are_413(api, thread, method, path):
    huge = {"body": "x" * 300_000, "title": "Una domanda", "tags": ["sim"], "value": 1}
    response = api.request(method, path.format(**thread), json=huge)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    "field, value",
    [("title", 12), ("title", None), ("body", {"text": "ciao"}), ("tags", "sim"), ("tags", ["sim", 3]),
     ("title", "Titolo con un \u0000 dentro"), ("body", "testo con un surrogato \ud800 spaiato e lungo")],
)
def test_wrong_types_are_400_and_name_the_field(api, make, field, value):
    body = {"title": "Come attivo la SIM nuova?", "body": "Ho ricevuto la SIM ma non si attiva.", "tags": ["sim"]}
    response = api.as_user(make.user()).post("/api/v1/questions", json={**body, field: value})
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {field}
    assert db.session.query(Question).count() == 0


@pytest.mark.parametrize("body", [None, b"", b"   ", b"{}"])
def test_empty_body_names_the_missing_fields(api, make, body):
    response = api.as_user(make.user()).request(
        "POST", "/api/v1/questions", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"title", "body", "tags"}


def test_unknown_paths_and_methods_answer_json(api):
    missing = api.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.get_json()["error"]["code"]) == (404, "not_found")
    wrong_method = api.request("PUT", "/api/v1/questions")
    assert (wrong_method.status_code, wrong_method.get_json()["error"]["code"]) == (405, "method_not_allowed")


def test_public_reads_need_no_token_but_refuse_a_bad_one(api, make):
    question = make.question()
    assert api.get(f"/api/v1/questions/{question.id}").status_code == 200
    assert api.get("/api/v1/questions", headers={"Authorization": "Bearer pp_forged"}).status_code == 401


@pytest.fixture
def signed_in(client, make):
    """A browser session of a member, and the CSRF token of its pages."""
    member = make.user()
    client.login_as(member)
    return client.client, client.csrf("/")


NEW = {"title": "Come attivo la SIM nuova?", "body": "Ho ricevuto la SIM ma non si attiva.", "tags": ["sim"]}


def test_session_cookie_reads_without_csrf(signed_in):
    browser, _token = signed_in
    assert browser.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-CSRFToken": "forged"}])
def test_session_cookie_writes_need_the_csrf_header(signed_in, headers):
    browser, _token = signed_in
    response = browser.post("/api/v1/questions", json=NEW, headers=headers)
    assert response.status_code == 401
    assert db.session.query(Question).count() == 0


@pytest.mark.parametrize("header", ["X-CSRFToken", "X-CSRF-Token"])
def test_session_cookie_writes_with_the_csrf_header(signed_in, header, doctor):
    browser, token = signed_in
    response = browser.post("/api/v1/questions", json=NEW, headers={header: token})
    assert response.status_code == 201
    doctor()
