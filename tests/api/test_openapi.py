"""The OpenAPI document: valid, complete, and true to what the server answers.

Every response of the `api` fixture is also checked against it (see contract.py); the
test below walks one client's whole journey so the main shapes are covered in one place.
"""

import json

import pytest
from jsonschema import Draft202012Validator

from ..factories import PASSWORD
from .contract import check_response, path_template, validator

SCHEMAS = ("User", "Question", "QuestionSummary", "Answer", "Comment", "Error", "QuestionList")


@pytest.fixture
def document(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_document_is_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert set(SCHEMAS) <= set(document["components"]["schemas"])
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    ids = [op["operationId"] for operations in document["paths"].values() for op in operations.values()]
    assert len(ids) == len(set(ids))


def _refs(node):
    if isinstance(node, dict):
        yield from ([node["$ref"]] if "$ref" in node else [])
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_reference_resolves(document):
    refs = set(_refs(document))
    assert refs
    for target in refs:
        assert target.startswith("#/components/schemas/"), target
        assert target.rsplit("/", 1)[1] in document["components"]["schemas"], target


def test_every_api_route_is_documented(app, document):
    routes = {
        (path_template(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, operations in document["paths"].items() for method in operations}
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented operations that do not exist"


def test_operations_list_their_path_parameters(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert names == set(path_template(path).replace("}", "{").split("{")[1::2]), (method, path)
            assert operation["responses"], (method, path)


def test_a_client_journey_matches_the_schemas(app, make):
    """Register, get a token, read me, ask, list, read, answer, vote, accept, fail: all as documented."""
    http = app.test_client()

    def call(method, path, status, body=None, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = http.open(path, method=method, json=body, headers=headers)
        assert response.status_code == status, (method, path, response.get_json())
        check_response(app, method, path, response)
        return response.get_json()

    luca = {"username": "luca", "email": "luca@example.com", "password": "lampone-verde-42"}
    call("POST", "/api/v1/auth/register", 201, luca)
    token = call("POST", "/api/v1/auth/token", 200, {"username": "luca", "password": luca["password"]})["token"]
    call("GET", "/api/v1/me", 200, token=token)
    call("PATCH", "/api/v1/me/preferences", 200, {"followed_tags": ["sim"]}, token=token)
    new_question = {"title": "La SIM non prende in casa", "body": "Da ieri niente campo in casa, fuori sì.", "tags": ["sim"]}
    question = call("POST", "/api/v1/questions", 201, new_question, token=token)["question"]
    call("GET", "/api/v1/questions", 200)

    helper = make.user(points=600)
    helper_login = {"username": helper.username, "password": PASSWORD}
    helper_token = call("POST", "/api/v1/auth/token", 200, helper_login)["token"]
    reply = {"body": "Prova a disattivare e riattivare il 4G dalle impostazioni."}
    answer = call("POST", f"/api/v1/questions/{question['id']}/answers", 201, reply, token=helper_token)["answer"]
    call("POST", f"/api/v1/answers/{answer['id']}/comments", 201, {"body": "Provo, grazie!"}, token=token)
    call("POST", f"/api/v1/answers/{answer['id']}/votes", 200, {"value": 1}, token=token)
    call("POST", f"/api/v1/answers/{answer['id']}/accept", 200, token=token)
    call("PATCH", f"/api/v1/questions/{question['id']}", 200, {"tags": ["sim", "copertura"]}, token=helper_token)
    thread = call("GET", f"/api/v1/questions/{question['id']}", 200, token=token)
    assert thread["answers"][0]["my_vote"] == 1
    call("GET", f"/api/v1/users/{helper.id}", 200)

    error = call("POST", f"/api/v1/answers/{answer['id']}/votes", 403, {"value": 1}, token=helper_token)
    assert error["error"]["code"] == "forbidden"
    call("POST", "/api/v1/questions", 422, {"title": "x"}, token=token)
    call("POST", "/api/v1/questions", 401, {})


def test_schemas_reject_what_the_server_must_never_send(document):
    """The schemas are strict: a stray field (like an email on a profile) or a bad value fails."""
    user = {
        "id": 1, "username": "luca", "role": "member", "points": 1, "rank": "newcomer", "url": "/users/1",
        "segment": "viewer", "badges": [], "stats": {"questions": 0, "answers": 0, "accepted_answers": 0},
    }
    check = validator({"$ref": "#/components/schemas/User"})
    assert check.is_valid(user)
    assert not check.is_valid({**user, "email": "luca@example.com"})
    assert not check.is_valid({**user, "role": "superuser"})
    error = validator({"$ref": "#/components/schemas/Error"})
    assert error.is_valid({"error": {"code": "invalid", "message": "No", "fields": {"title": "Too short"}}})
    assert not error.is_valid({"message": "No"})


def test_gamification_endpoints_match_their_description(api, make):
    """Served by the gamification package; the api fixture checks each answer against the document."""
    question = make.question()
    answer = make.answer(question)
    make.vote(make.user(), answer, 1)
    make.accept(question.author, answer)

    assert api.get("/api/v1/leaderboard?period=all").status_code == 200
    assert api.as_user(answer.author).get("/api/v1/leaderboard").status_code == 200
    assert api.get("/api/v1/leaderboard?tag=no-such-tag").status_code == 404
    assert api.get("/api/v1/badges").status_code == 200
    assert api.get(f"/api/v1/users/{answer.author_id}/points").status_code == 200
    assert api.get(f"/api/v1/users/{answer.author_id}").status_code == 200
