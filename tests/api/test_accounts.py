"""Accounts through the API: register, token, me, preferences, profiles."""

import pytest

from support.extensions import db
from support.models import User

from ..factories import PASSWORD

NEW = {"username": "giulia", "email": "Giulia@Example.com", "password": "lampone-verde-42"}


def test_register_creates_a_member_and_ignores_privileged_fields(api, doctor):
    response = api.post("/api/v1/auth/register", json={**NEW, "locale": "en", "role": "admin", "points": 9999})

    assert response.status_code == 201
    user = response.get_json()["user"]
    assert user["username"] == "giulia"
    assert user["role"] == "member"
    assert user["points"] < 9999
    assert user["url"] == f"/users/{user['id']}"
    assert user["stats"] == {"questions": 0, "answers": 0, "accepted_answers": 0}
    assert "email" not in user
    stored = db.session.get(User, user["id"])
    assert (stored.email, stored.locale, stored.role) == ("giulia@example.com", "en", "member")
    doctor()


@pytest.mark.parametrize(
    "change, field",
    [({"username": "GIULIA"}, "username"), ({"email": "giulia@example.com"}, "email")],
)
def test_register_refuses_a_taken_username_or_email(api, make, change, field):
    make.user(username="giulia", email="giulia@example.com")
    other = {**NEW, "username": "other", "email": "other@example.com"}
    response = api.post("/api/v1/auth/register", json={**other, **change})
    assert response.status_code == 409
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "giulia-giulia"}, "password"),
        ({"username": "x"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"locale": "fr"}, "locale"),
    ],
)
def test_register_refuses_invalid_values(api, change, field):
    response = api.post("/api/v1/auth/register", json={**NEW, **change})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.query(User).count() == 0


def test_register_names_every_missing_field(api):
    response = api.post("/api/v1/auth/register", json={})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"username", "email", "password"}


@pytest.mark.parametrize("login", ["maria", "MARIA", "maria@example.com"])
def test_token_for_username_or_email_opens_the_api(api, make, login):
    maria = make.user(username="maria")
    response = api.post("/api/v1/auth/token", json={"username": login, "password": PASSWORD})

    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["id"] == maria.id
    assert "Set-Cookie" not in response.headers  # a program gets a token, never a session
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.get_json()["user"]["username"] == "maria"


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "maria", "password": "wrong password"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "maria", "password": ""},
    ],
)
def test_token_refuses_bad_credentials(api, make, credentials):
    make.user(username="maria")
    response = api.post("/api/v1/auth/token", json=credentials)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_credentials"


def test_suspended_member_gets_no_token(api, make):
    make.user(username="maria", is_active_account=False)
    assert api.post("/api/v1/auth/token", json={"username": "maria", "password": PASSWORD}).status_code == 401


def test_me_shows_email_and_preferences_only_to_oneself(api, make):
    maria = make.user(username="maria", contact_channel="email")

    me = api.as_user(maria).get("/api/v1/me").get_json()
    assert me["user"]["email"] == "maria@example.com"
    assert me["preferences"] == {"contact_channel": "email", "locale": "it", "followed_tags": []}

    profile = api.as_user(make.user()).get(f"/api/v1/users/{maria.id}").get_json()
    assert "email" not in profile
    assert "preferences" not in profile and "contact_channel" not in profile


@pytest.mark.parametrize("authorization", [None, "Bearer nonsense", "Basic bWFyaWE6eA==", "Bearer "])
def test_me_needs_a_valid_token(api, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = api.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_token_stops_working_after_a_password_change(api, make):
    from support.services.accounts import change_password

    maria = make.user()
    api.as_user(maria)
    change_password(maria.id, PASSWORD, "una-nuova-password-lunga")
    assert api.get("/api/v1/me").status_code == 401


def test_preferences_change_and_come_back(api, make, doctor):
    maria = make.user()
    response = api.as_user(maria).patch(
        "/api/v1/me/preferences",
        json={"contact_channel": "sms", "locale": "en", "followed_tags": ["Roaming", "sim", "roaming"]},
    )
    assert response.status_code == 200
    expected = {"contact_channel": "sms", "locale": "en", "followed_tags": ["roaming", "sim"]}
    assert response.get_json()["preferences"] == expected
    assert api.get("/api/v1/me").get_json()["preferences"] == expected

    # Fields left out stay as they are.
    response = api.patch("/api/v1/me/preferences", json={"locale": "it"})
    assert response.get_json()["preferences"] == {**expected, "locale": "it"}
    doctor()


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"contact_channel": "pigeon"}, 422, "contact_channel"),
        ({"locale": "de"}, 422, "locale"),
        ({"followed_tags": ["not a tag!"]}, 422, "followed_tags"),
        ({"followed_tags": "sim"}, 400, "followed_tags"),
        ({"contact_channel": 3}, 400, "contact_channel"),
    ],
)
def test_preferences_refuse_bad_values(api, make, body, status, field):
    maria = make.user(contact_channel="email")
    response = api.as_user(maria).patch("/api/v1/me/preferences", json=body)
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    assert api.get("/api/v1/me").get_json()["preferences"]["contact_channel"] == "email"


def test_preferences_need_a_token(api):
    assert api.patch("/api/v1/me/preferences", json={"locale": "en"}).status_code == 401


def test_profile_shows_rank_stats_and_defaults(api, make):
    helper = make.user(points=600)
    question = make.question()
    answer = make.answer(question, author=helper)
    make.answer(make.question(), author=helper)
    make.accept(question.author, answer)

    user = api.get(f"/api/v1/users/{helper.id}").get_json()

    assert user["id"] == helper.id
    assert user["rank"] == "helper"
    assert user["role"] == "member"
    assert user["stats"] == {"questions": 0, "answers": 2, "accepted_answers": 1}
    assert user["url"] == f"/users/{helper.id}"
    assert user["segment"] in ("creator", "contributor", "viewer")
    assert isinstance(user["badges"], list)


def test_profile_takes_fields_from_user_extras(app, api, make):
    member = make.user()
    badge = {"slug": "first-answer", "name": "First answer", "tier": "bronze", "awarded_at": "2025-03-01T10:00:00.000Z"}
    app.extensions["user_extras"] = [lambda user: {"segment": "creator", "badges": [badge]}]

    user = api.get(f"/api/v1/users/{member.id}").get_json()

    assert user["segment"] == "creator"
    assert user["badges"] == [badge]


@pytest.mark.parametrize("user_id", ["0", "-1", "99999", "99999999999999999999", "abc", "1.5"])
def test_profile_of_a_missing_member_is_404(api, make, user_id):
    make.user()
    response = api.get(f"/api/v1/users/{user_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
