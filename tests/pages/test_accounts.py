"""Account pages: sign up, log in and out, safe redirects, profile, settings, password."""

import re

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.models import User
from tests.factories import PASSWORD

from .helpers import elements, field_error, flashes, form_errors, location, log_in, text

NEW_PASSWORD = "a much better passphrase 42"
HOME = "/questions"  # where the site's home links and redirects go


def user_count():
    return db.session.scalar(select(func.count()).select_from(User))


def signed_in_as(client):
    """Return the name in the page header of a signed-in member, or None."""
    match = re.search(r'class="me">\s*([^<]+?)\s*<span', client.get("/").get_data(as_text=True))
    return match.group(1) if match else None


def register(client, **fields):
    data = {"username": "giulia", "email": "giulia@example.com", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD, "locale": "it"}
    data.update(fields)
    return client.post("/register", data, csrf_from="/register")


# --- sign up ---------------------------------------------------------------------------

def test_register_logs_in_and_goes_to_the_questions(client):
    response = register(client)
    assert location(response) == HOME
    user = db.session.scalar(select(User).where(User.username_key == "giulia"))
    assert user.email == "giulia@example.com" and user.locale == "it"
    assert signed_in_as(client) == "giulia"


def test_register_follows_a_safe_next(client):
    response = client.post("/register?next=/questions/ask", {
        "username": "giulia", "email": "giulia@example.com", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "locale": "en",
    })
    assert location(response) == "/questions/ask"


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"username": "Mario"}, "username", "This username is taken."),
        ({"username": "MARIO"}, "username", "This username is taken."),
        ({"email": "Mario@Example.com"}, "email", "An account with this email already exists."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"username": "no spaces!"}, "username", "3 to 32 letters, digits"),
        ({"password": "short", "confirm": "short"}, "password", "between 8 and 256 characters"),
        ({"password": "password1", "confirm": "password1"}, "password", "too common"),
        ({"password": "giulia-secret", "confirm": "giulia-secret"}, "password", "username"),
        ({"confirm": "something else entirely"}, "confirm", "The passwords differ."),
        ({"locale": "xx"}, "locale", "Not a valid choice"),
    ],
    ids=["taken", "taken-other-case", "email-taken", "bad-email", "bad-username", "short-password",
         "common-password", "password-is-username", "mismatch", "bad-locale"],
)
def test_register_shows_each_problem_next_to_its_field(client, make, fields, field, message):
    make.user(username="mario", email="mario@example.com")
    before = user_count()
    response = register(client, **fields)
    assert response.status_code == 200
    assert message in (field_error(response, field) or "")
    assert user_count() == before
    assert signed_in_as(client) is None


def test_register_keeps_what_was_typed_but_not_the_password(client):
    response = register(client, email="nope")
    page = elements(response)
    values = {a.get("name"): a.get("value") for tag, a in page.tags if tag == "input"}
    assert values["username"] == "giulia"
    assert not values.get("password")


# --- log in and out ----------------------------------------------------------------------

@pytest.mark.parametrize("login", ["anna", "ANNA", "anna@example.com", " Anna@Example.com "])
def test_log_in_with_username_or_email(client, make, login):
    make.user(username="anna")
    response = log_in(client, login)
    assert location(response) == HOME
    assert "Welcome back, anna!" in flashes(client.get("/"))
    assert signed_in_as(client) == "anna"


def test_wrong_password_is_told_without_saying_which_part(client, make):
    make.user(username="anna")
    response = log_in(client, "anna", "wrong password")
    assert response.status_code == 200
    assert field_error(response, "password") == "Wrong username or password."
    unknown = log_in(client, "nobody", "wrong password")
    assert field_error(unknown, "password") == "Wrong username or password."
    assert signed_in_as(client) is None


def test_suspended_account_cannot_log_in(client, make):
    make.user(username="anna", is_active_account=False)
    response = log_in(client, "anna")
    assert field_error(response, "password") == "Wrong username or password."


def test_log_out_needs_post_and_a_csrf_token(client, make):
    make.user(username="anna")
    log_in(client, "anna")
    assert client.get("/logout").status_code == 405
    refused = client.client.post("/logout")
    assert refused.status_code == 400
    assert "Please reload the page" in text(refused)
    assert signed_in_as(client) == "anna"
    response = client.post("/logout")
    assert location(response) == HOME
    assert signed_in_as(client) is None


def test_log_out_form_is_in_the_header(client, make):
    client.login_as(make.user())
    forms = [f for f in elements(client.get("/")).forms if f["attrs"].get("action") == "/logout"]
    assert forms and forms[0]["attrs"]["method"] == "post" and forms[0]["inputs"].get("csrf_token")


def test_login_follows_a_relative_next(browser, make, subtests):
    make.user(username="anna")
    for target in ["/questions/ask", "/questions?tag=sim&sort=newest", "/users/1"]:
        with subtests.test(next=target):
            assert location(log_in(browser(), "anna", next_url=target)) == target


UNSAFE_NEXT = ["//evil.com", "https://evil.com", "http://evil.com/questions", "/\\evil.com", "\\\\evil.com",
               "javascript:alert(1)", "JavaScript:alert(1)", "///evil.com", "/\tevil.com", "evil.com", ""]


def test_login_ignores_a_next_that_leaves_the_site(browser, make, subtests):
    make.user(username="anna")
    for target in UNSAFE_NEXT:
        with subtests.test(next=target):
            assert location(log_in(browser(), "anna", next_url=target)) == HOME


def test_login_page_keeps_next_through_a_wrong_password(client, make):
    make.user(username="anna")
    response = log_in(client, "anna", "wrong password", next_url="/questions/ask")
    assert elements(response).forms[1]["inputs"]["next"] == "/questions/ask"


def test_pages_that_need_login_send_you_to_login_and_back(client, make):
    make.user(username="anna")
    response = client.get("/questions/ask")
    assert location(response) == "/login?next=%2Fquestions%2Fask"
    assert location(log_in(client, "anna", next_url="/questions/ask")) == "/questions/ask"


def test_a_button_pressed_while_logged_out_comes_back_to_its_page(client, make):
    question = make.question()
    response = client.post(f"/questions/{question.id}/vote", {"value": "1"},
                           headers={"Referer": f"http://localhost/questions/{question.id}"})
    assert location(response) == f"/login?next=%2Fquestions%2F{question.id}"


def test_a_button_from_another_site_does_not_set_next(client, make):
    question = make.question()
    response = client.post(f"/questions/{question.id}/vote", {"value": "1"},
                           headers={"Referer": "https://evil.com/questions/1"})
    assert location(response) == "/login"


# --- profile -----------------------------------------------------------------------------

def stat(response, label):
    match = re.search(rf"<dt>{label}</dt>\s*<dd>(\d+)</dd>", response.get_data(as_text=True))
    return int(match.group(1)) if match else None


def test_profile_shows_counts_of_questions_answers_and_accepted(client, make):
    anna = make.user(username="anna", display_name="Anna R.")
    make.question(author=anna)
    make.question(author=anna)
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question, author=anna)
    make.answer(make.question(author=asker), author=anna)
    make.accept(asker, answer)
    response = client.get(f"/users/{anna.id}")
    assert response.status_code == 200
    assert "Anna R." in text(response) and "@anna" in text(response)
    assert (stat(response, "Questions"), stat(response, "Answers"), stat(response, "Accepted answers")) == (2, 2, 1)


def test_profile_of_a_missing_member_is_404(client):
    assert client.get("/users/424242").status_code == 404


def test_profile_links_to_settings_only_for_its_owner(client, make):
    anna, other = make.user(), make.user()
    client.login_as(anna)
    assert 'href="/settings"' in client.get(f"/users/{anna.id}").get_data(as_text=True).split("<main")[1]
    assert 'href="/settings"' not in client.get(f"/users/{other.id}").get_data(as_text=True).split("<main")[1]


# --- settings ----------------------------------------------------------------------------

SETTINGS = {"display_name": "Anna Rossi", "bio": "Uso la SIM da anni.", "locale": "en",
            "contact_channel": "sms", "phone": "+39 333 1234567", "followed_tags": "roaming SIM #esim"}


def test_settings_need_login(client):
    assert location(client.get("/settings")) == "/login?next=%2Fsettings"


def test_settings_shows_the_saved_values(client, make):
    anna = make.user(display_name="Anna", contact_channel="email")
    client.login_as(anna)
    client.post("/settings", SETTINGS)
    page = elements(client.get("/settings"))
    values = {a["name"]: a.get("value") for tag, a in page.tags if tag == "input" and a.get("type") != "radio"}
    assert values["display_name"] == "Anna Rossi"
    assert values["followed_tags"] == "esim roaming sim"
    checked = [a["value"] for tag, a in page.tags if tag == "input" and a.get("type") == "radio" and "checked" in a]
    assert checked == ["sms"]


def test_settings_saves_everything(client, make):
    anna = make.user()
    client.login_as(anna)
    response = client.post("/settings", SETTINGS)
    assert location(response) == "/settings"
    assert "Your settings are saved." in flashes(client.get("/settings"))
    saved = db.session.get(User, anna.id)
    assert (saved.display_name, saved.bio, saved.locale, saved.contact_channel, saved.phone) == (
        "Anna Rossi", "Uso la SIM da anni.", "en", "sms", "+39 333 1234567")
    assert [t.name for t in saved.followed_tags] == ["esim", "roaming", "sim"]


def test_settings_language_changes_the_pages(client, make):
    client.login_as(make.user(locale="it"))
    client.post("/settings", dict(SETTINGS, locale="en"))
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"followed_tags": "ok bad!tag"}, "followed_tags", "is not a valid tag"),
        ({"followed_tags": " ".join(f"t{i}" for i in range(51))}, "followed_tags", "at most 50 tags"),
        ({"contact_channel": "pigeon"}, "contact_channel", "Not a valid choice"),
        ({"locale": "fr"}, "locale", "Not a valid choice"),
        ({"display_name": "x" * 65}, "display_name", "64"),
        ({"phone": "9" * 33}, "phone", "32"),
    ],
    ids=["bad-tag", "too-many-tags", "bad-channel", "bad-language", "long-name", "long-phone"],
)
def test_a_bad_setting_shows_an_error_and_saves_nothing(client, make, change, field, message):
    anna = make.user(display_name="Anna", locale="en", contact_channel="email")
    client.login_as(anna)
    response = client.post("/settings", dict(SETTINGS, locale="it") | change)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if field == "contact_channel":  # a fieldset: its message has no id
        assert message in text(response)
    else:
        assert message in (field_error(response, field) or ""), page
    saved = db.session.get(User, anna.id)
    assert (saved.display_name, saved.locale, saved.contact_channel, saved.phone) == ("Anna", "en", "email", None)
    assert saved.followed_tags == []


def test_settings_with_fields_missing_keeps_the_saved_ones(client, make):
    anna = make.user(display_name="Anna", contact_channel="email")
    client.login_as(anna)
    client.post("/settings", {"followed_tags": "sim"})
    client.post("/settings", {"display_name": "Anna R."})
    saved = db.session.get(User, anna.id)
    assert (saved.display_name, saved.contact_channel, [t.name for t in saved.followed_tags]) == (
        "Anna R.", "email", ["sim"])


# --- password ----------------------------------------------------------------------------

def test_change_password_with_a_wrong_current_password(client, make):
    client.login_as(make.user())
    response = client.post("/password", {"current_password": "nope nope", "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert field_error(response, "current_password") == "Your current password is not correct."


@pytest.mark.parametrize(
    "new, confirm, field, message",
    [
        ("password", "password", "password", "too common"),
        ("short", "short", "password", "between 8 and 256"),
        (NEW_PASSWORD, "different thing", "confirm", "The passwords differ."),
    ],
)
def test_change_password_checks_the_new_one(client, make, new, confirm, field, message):
    anna = make.user()
    client.login_as(anna)
    response = client.post("/password", {"current_password": PASSWORD, "password": new, "confirm": confirm})
    assert message in (field_error(response, field) or "")
    assert db.session.get(User, anna.id).session_version == 1


def test_change_password_signs_out_every_other_session(browser, make):
    make.user(username="anna")
    here, elsewhere = browser(), browser()
    log_in(here, "anna")
    log_in(elsewhere, "anna")
    assert signed_in_as(elsewhere) == "anna"

    response = here.post("/password", {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD}, csrf_from="/password")
    anna = db.session.scalar(select(User).where(User.username_key == "anna"))
    assert location(response) == f"/users/{anna.id}"
    assert anna.session_version == 2
    assert "Your password was changed. Other sessions were signed out." in flashes(here.get("/"))

    assert signed_in_as(here) == "anna"  # this browser stays signed in
    assert signed_in_as(elsewhere) is None  # the old session cookie no longer works
    assert location(elsewhere.get("/settings")).startswith("/login")

    assert field_error(log_in(browser(), "anna", PASSWORD), "password") == "Wrong username or password."
    assert location(log_in(browser(), "anna", NEW_PASSWORD)) == HOME


def test_form_level_errors_are_shown(client, make, monkeypatch):
    """A service error that names no field still reaches the person (above the form)."""
    from support.errors import Invalid
    from support.services import accounts

    def refuse(*args, **kwargs):
        raise Invalid("Registrations are paused for maintenance.")

    monkeypatch.setattr(accounts, "register_user", refuse)
    response = register(client)
    assert form_errors(response) == "Registrations are paused for maintenance."


# --- language switch and pages for members only ------------------------------------------

def test_language_switch_is_remembered_for_a_member(client, make):
    anna = make.user(locale="en")
    client.login_as(anna)
    response = client.post("/language", {"lang": "it", "next": "/tags"})
    assert location(response) == "/tags"
    assert db.session.get(User, anna.id).locale == "it"
    assert '<html lang="it">' in client.get("/tags").get_data(as_text=True)


def test_language_switch_for_a_visitor_sets_a_cookie(client):
    response = client.post("/language", {"lang": "it"})
    assert "lang=it" in response.headers["Set-Cookie"]
    assert '<html lang="it">' in client.get("/tags").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/login", "/register"])
def test_signed_in_members_skip_login_and_sign_up(client, make, path):
    client.login_as(make.user())
    assert location(client.get(path)) == HOME
