"""Registration, sign-in, passwords, API tokens, sessions and settings through the services."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from support.errors import Conflict, Invalid
from support.extensions import db
from support.models import ApiToken, User
from support.services import accounts
from tests.factories import PASSWORD

GOOD = "a much better passphrase 42"


# --- register ----------------------------------------------------------------------------

def test_register_stores_a_member_with_a_hashed_password(app):
    user = accounts.register_user(" Giulia.R ", " Giulia@Example.COM ", GOOD, "en")
    assert (user.username, user.username_key, user.email, user.locale, user.role) == (
        "Giulia.R", "giulia.r", "giulia@example.com", "en", "member")
    assert GOOD not in user.password_hash and user.password_hash.startswith("scrypt:")
    assert user.session_version == 1


@pytest.mark.parametrize("username, email, field", [
    ("mario", "new@example.com", "username"),
    ("MARIO", "new@example.com", "username"),
    ("someone", "MARIO@example.com", "email"),
])
def test_register_refuses_taken_names_whatever_the_case(make, username, email, field):
    make.user(username="Mario", email="mario@example.com")
    with pytest.raises(Conflict) as caught:
        accounts.register_user(username, email, GOOD)
    assert field in caught.value.fields


def test_register_refuses_bad_usernames(app, subtests):
    for username in ["ab", "-start", "has space", "x" * 33, "emoji😀", "", None]:
        with subtests.test(username=username), pytest.raises(Invalid) as caught:
            accounts.register_user(username, "a@example.com", GOOD)
        assert "username" in caught.value.fields


def test_register_refuses_bad_emails(app, subtests):
    for email in ["plain", "a@b", "@example.com", "a b@example.com", "a@@example.com", "x" * 250 + "@example.com"]:
        with subtests.test(email=email), pytest.raises(Invalid) as caught:
            accounts.register_user("giulia", email, GOOD)
        assert "email" in caught.value.fields


@pytest.mark.parametrize("password, words", [
    ("short", "at least 8"),
    ("x" * 257, "at most 256"),
    ("password", "too common"),
    ("Qwerty123", "too common"),
    ("aaaaaaaaaaaa", "too common"),
    ("giulia-is-great", "username"),
    (None, "at least 8"),
])
def test_register_refuses_weak_passwords(app, password, words):
    with pytest.raises(Invalid, match=words) as caught:
        accounts.register_user("giulia", "g@example.com", password)
    assert "password" in caught.value.fields
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("locale, role", [("fr", "member"), ("en", "superuser")])
def test_register_refuses_unknown_locale_or_role(app, locale, role):
    with pytest.raises(Invalid):
        accounts.register_user("giulia", "g@example.com", GOOD, locale=locale, role=role)


# --- authenticate ------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["anna", "ANNA", " anna ", "anna@example.com", "Anna@Example.com"])
def test_authenticate_by_username_or_email(make, login):
    anna = make.user(username="anna")
    assert accounts.authenticate(login, PASSWORD).id == anna.id


def test_authenticate_refuses(make, subtests):
    make.user(username="anna")
    for login, password in [("anna", "wrong"), ("nobody", PASSWORD), ("anna", ""), ("", ""), (None, PASSWORD),
                            ("anna", None), (["anna"], PASSWORD), ("an\x00na", "x"), ("anna\x00", PASSWORD + "x")]:
        with subtests.test(login=login, password=password):
            assert accounts.authenticate(login, password) is None


def test_a_suspended_member_cannot_sign_in(make):
    make.user(username="anna", is_active_account=False)
    assert accounts.authenticate("anna", PASSWORD) is None


# --- password change, sessions and tokens ------------------------------------------------

def test_change_password_needs_the_current_one(make):
    anna = make.user()
    with pytest.raises(Invalid) as caught:
        accounts.change_password(anna.id, "not it", GOOD)
    assert "current_password" in caught.value.fields
    assert accounts.authenticate(anna.username, PASSWORD).id == anna.id


def test_change_password_refuses_a_weak_new_one(make):
    anna = make.user()
    with pytest.raises(Invalid, match="too common"):
        accounts.change_password(anna.id, PASSWORD, "password1")
    assert db.session.get(User, anna.id).session_version == 1


def test_change_password_ends_other_sessions_and_tokens(make):
    anna = make.user()
    old_session = anna.get_id()
    token = accounts.issue_token(anna.id)
    assert accounts.user_for_token(token).id == anna.id
    assert accounts.load_session_user(old_session).id == anna.id

    user = accounts.change_password(anna.id, PASSWORD, GOOD)
    assert user.session_version == 2
    assert accounts.load_session_user(old_session) is None
    assert accounts.load_session_user(user.get_id()).id == anna.id
    assert accounts.user_for_token(token) is None
    assert db.session.scalar(select(ApiToken)) is None
    assert accounts.authenticate(anna.username, PASSWORD) is None
    assert accounts.authenticate(anna.username, GOOD).id == anna.id
    fresh = accounts.issue_token(anna.id)
    assert accounts.user_for_token(fresh).id == anna.id


def test_tokens_are_stored_hashed_and_expire(make):
    anna = make.user()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        token = accounts.issue_token(anna.id)
    assert token.startswith("pp_")
    assert db.session.scalar(select(ApiToken.token_hash)) != token
    with time_machine.travel(start + timedelta(days=89), tick=False):
        assert accounts.user_for_token(token).id == anna.id
    with time_machine.travel(start + timedelta(days=91), tick=False):
        assert accounts.user_for_token(token) is None


def test_a_suspended_members_token_stops_working(make):
    anna = make.user()
    token = accounts.issue_token(anna.id)
    anna.is_active_account = False
    db.session.commit()
    assert accounts.user_for_token(token) is None


def test_bad_tokens(make, subtests):
    accounts.issue_token(make.user().id)
    for raw in ["", None, "pp_nope", "x" * 201, "pp_\x00"]:
        with subtests.test(token=raw):
            assert accounts.user_for_token(raw) is None


def test_bad_session_ids(make, subtests):
    make.user()
    for session_id in ["", "1", "1:x", "x:1", "1:1:1", None, "99:1", "1:-5", "1:2", "99999999999999999999:1"]:
        with subtests.test(session_id=session_id):
            assert accounts.load_session_user(session_id) is None


# --- settings ----------------------------------------------------------------------------

def test_update_settings_saves_everything(make):
    anna = make.user()
    accounts.update_settings(anna.id, display_name=" Anna ", bio="Hi", contact_channel="sms", locale="en",
                             followed_tags="sim roaming", phone="+39 333")
    db.session.expire_all()
    saved = db.session.get(User, anna.id)
    assert (saved.display_name, saved.bio, saved.contact_channel, saved.locale, saved.phone) == (
        "Anna", "Hi", "sms", "en", "+39 333")
    assert accounts.preferences_of(saved) == {"contact_channel": "sms", "locale": "en",
                                              "followed_tags": ["roaming", "sim"]}


@pytest.mark.parametrize("bad", [
    {"contact_channel": "pigeon"}, {"locale": "fr"}, {"followed_tags": "ok not!ok"},
    {"followed_tags": " ".join(f"t{i}" for i in range(51))}, {"phone": "9" * 33},
    {"display_name": "x" * 65}, {"bio": "b" * 1001},
])
def test_update_settings_is_all_or_nothing(make, bad):
    anna = make.user(display_name="Anna", contact_channel="email", locale="it")
    values = {"display_name": "Changed", "bio": "Changed", "contact_channel": "sms", "locale": "en",
              "followed_tags": "sim", "phone": "+39"} | bad
    with pytest.raises(Invalid) as caught:
        accounts.update_settings(anna.id, **values)
    assert set(caught.value.fields) <= {"contact_channel", "locale", "followed_tags", "phone", "display_name", "bio"}
    db.session.expire_all()
    saved = db.session.get(User, anna.id)
    assert (saved.display_name, saved.bio, saved.contact_channel, saved.locale, saved.phone) == (
        "Anna", None, "email", "it", None)
    assert saved.followed_tags == []
