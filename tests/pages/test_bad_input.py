"""Whatever a browser (or a script pretending to be one) sends, the answer is never a 500."""

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.models import Answer, Comment, Question, User

from .helpers import field_error, location, text

GOOD_QUESTION = {"title": "My phone shows no service", "body": "Since this morning my phone shows no service at all.",
                 "tags": "sim"}


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def thread(make):
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question)
    return asker, question, answer


# --- size --------------------------------------------------------------------------------

def test_a_body_over_30000_characters_is_a_form_error(client, make):
    client.login_as(make.user())
    response = client.post("/questions/ask", {**GOOD_QUESTION, "body": "a" * 30_001})
    assert response.status_code == 200
    assert "between 20 and 30000" in field_error(response, "body")
    assert count(Question) == 0


def test_a_body_of_exactly_30000_characters_is_fine(client, make):
    client.login_as(make.user())
    assert client.post("/questions/ask", {**GOOD_QUESTION, "body": "a" * 30_000}).status_code == 302


@pytest.mark.parametrize("path", ["/questions/ask", "/login", "/register", "/settings", "/preview"])
def test_a_request_over_the_size_limit_gets_a_friendly_413(client, make, path):
    client.login_as(make.user())
    token = client.csrf("/")
    response = client.client.post(path, data={"csrf_token": token, "body": "a" * (300 * 1024)})
    assert response.status_code == 413
    assert "That is too large" in text(response)
    assert "Content-Security-Policy" in response.headers
    assert count(Question) == 0


def test_a_json_preview_over_the_size_limit_is_413(client):
    token = client.csrf("/")
    response = client.client.post("/preview", json={"body": "a" * (300 * 1024)}, headers={"X-CSRFToken": token})
    assert response.status_code == 413


# --- encoding and control characters -----------------------------------------------------

def raw_form(client, path, fields: bytes, csrf_from="/"):
    """POST a hand-made urlencoded body (so it can hold bytes that are not UTF-8)."""
    token = client.csrf(csrf_from).encode()
    return client.client.post(path, data=b"csrf_token=" + token + b"&" + fields,
                              content_type="application/x-www-form-urlencoded")


def test_invalid_utf8_in_a_question_is_kept_as_harmless_text(client, make):
    client.login_as(make.user())
    response = raw_form(client, "/questions/ask",
                        b"title=Broken+%FF%FE+bytes+in+title&body=" + b"x%C3%28" * 10 + b"&tags=sim")
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    # Werkzeug keeps bytes that are not UTF-8 as their %-escapes: visible, valid text.
    assert question.title == "Broken %FF%FE bytes in title"
    assert client.get(f"/questions/{question.id}").status_code == 200


@pytest.mark.parametrize(
    "path, fields",
    [
        ("/login", b"login=%FF%FE&password=%C3%28"),
        ("/register", b"username=%FF%FE%FD&email=a%FF@example.com&password=%FFpassword123"
                      b"&confirm=%FFpassword123&locale=%FF"),
        ("/settings", b"display_name=%FF&bio=%C0%80&locale=en&contact_channel=%FF&followed_tags=%FF%FE"),
        ("/password", b"current_password=%FF&password=%FF&confirm=%FF"),
        ("/language", b"lang=%FF&next=%FF"),
    ],
)
def test_invalid_utf8_in_other_forms_never_500s(client, make, path, fields):
    if path in ("/settings", "/password"):
        client.login_as(make.user())
    response = raw_form(client, path, fields)
    assert response.status_code < 500


def test_invalid_utf8_in_answers_and_comments(client, thread):
    asker, question, answer = thread
    client.login_as(asker)
    assert raw_form(client, f"/questions/{question.id}/answers", b"body=" + b"%FF" * 20).status_code < 500
    assert raw_form(client, f"/answers/{answer.id}/comments", b"body=ok%FF%FE").status_code == 302
    assert db.session.scalar(select(Comment.body)) == "ok%FF%FE"


def test_invalid_utf8_in_a_multipart_form(client, make):
    client.login_as(make.user())
    token = client.csrf("/")
    boundary = "XyZ"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in [("csrf_token", token.encode()), ("title", b"Title with \xff\xfe bytes inside"),
                            ("body", b"Body with \xc3\x28 invalid bytes, long enough."), ("tags", b"sim")]
    ) + f"--{boundary}--\r\n".encode()
    response = client.client.post("/questions/ask", data=parts,
                                  content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code in (200, 302)


CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f"


def test_control_characters_and_nul_are_stripped_from_a_question(client, make):
    client.login_as(make.user())
    response = client.post("/questions/ask", {
        "title": f"No\x00 service{CONTROL} on my phone",
        "body": f"Line one\x00\r\nline two{CONTROL}\twith a tab, long enough.",
        "tags": "sim\x00 roaming\x07",
    })
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    assert question.title == "No service on my phone"
    assert question.body == "Line one\nline two\twith a tab, long enough."
    assert [t.name for t in question.tags] == ["roaming", "sim"]
    assert client.get(f"/questions/{question.id}").status_code == 200


def test_a_title_of_only_control_characters_is_refused(client, make):
    client.login_as(make.user())
    response = client.post("/questions/ask", {**GOOD_QUESTION, "title": "\x00" * 12})
    assert field_error(response, "title") == "This field is required."
    assert count(Question) == 0


def test_nul_in_edits_comments_and_settings_is_stripped(client, thread):
    asker, question, answer = thread
    client.login_as(asker)
    client.post(f"/questions/{question.id}/edit", {"title": "Edited\x00 title here", "tags": "sim",
                                                   "summary": "fix\x00", "body": "Edited body\x00 that is long."})
    client.post(f"/questions/{question.id}/comments", {"body": "Nul\x00 comment"})
    client.post("/settings", {"display_name": "An\x00na", "bio": "b\x00io", "locale": "en", "contact_channel": "sms",
                              "phone": "+39\x00 333", "followed_tags": "sim\x00"})
    db.session.expire_all()
    assert db.session.get(Question, question.id).title == "Edited title here"
    assert db.session.scalar(select(Comment.body)) == "Nul comment"
    user = db.session.get(User, asker.id)
    assert (user.display_name, user.bio, user.phone) == ("Anna", "bio", "+39 333")


@pytest.mark.parametrize("login", ["an\x00na", "\x00", "anna@example.com\x00' OR 1=1 --"])
def test_nul_in_the_login_form_is_a_wrong_password_not_an_error(client, make, login):
    make.user(username="anna")
    response = client.post("/login", {"login": login, "password": "whatever"})
    assert response.status_code == 200
    assert field_error(response, "password") == "Wrong username or password."


def test_nul_in_registration(client):
    response = client.post("/register", {"username": "gi\x00ulia", "email": "giulia@example.com\x00",
                                         "password": "a long pass phrase", "confirm": "a long pass phrase",
                                         "locale": "en"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.username)) == "giulia"


# --- addresses ---------------------------------------------------------------------------

BAD_GETS = [
    "/questions/0", "/questions/-1", "/questions/99999999999999999999", "/questions/2147483648",
    "/questions/1.5", "/questions/1e3", "/questions/%00", "/questions/%FF", "/questions/abc",
    "/questions/0/revisions", "/questions/99999999999999999999/revisions", "/questions/99999999999999999999/edit",
    "/answers/abc/edit", "/answers/0/edit", "/answers/99999999999999999999/edit",
    "/answers/99999999999999999999/revisions",
    "/users/0", "/users/99999999999999999999", "/users/abc", "/nowhere", "/questions/ask/extra",
]


def test_bad_ids_in_addresses_are_404(client, make, subtests):
    client.login_as(make.staff())
    for path in BAD_GETS:
        with subtests.test(path=path):
            response = client.get(path)
            assert response.status_code == 404
            assert "Page not found" in text(response)


BAD_POSTS = [
    "/questions/99999999999999999999/answers", "/questions/99999999999999999999/vote",
    "/questions/99999999999999999999/comments", "/questions/99999999999999999999/delete",
    "/answers/99999999999999999999/vote", "/answers/99999999999999999999/accept",
    "/answers/99999999999999999999/unaccept", "/answers/99999999999999999999/delete",
    "/answers/99999999999999999999/comments", "/answers/0/accept", "/answers/abc/vote",
]


def test_bad_ids_in_button_addresses_are_404(client, make, subtests):
    client.login_as(make.staff())
    token = client.csrf("/")
    for path in BAD_POSTS:
        with subtests.test(path=path):
            response = client.client.post(path, data={"csrf_token": token, "value": "1", "body": "A comment here."})
            assert response.status_code == 404


def test_the_largest_possible_id_is_a_plain_404(client):
    assert client.get("/questions/2147483647").status_code == 404


# --- missing and unexpected fields -------------------------------------------------------

def test_forms_with_every_field_missing_never_500(client, make, thread, subtests):
    _, question, answer = thread
    client.login_as(make.staff())  # staff may use every form
    paths = ["/questions/ask", f"/questions/{question.id}/edit", f"/questions/{question.id}/answers",
             f"/questions/{question.id}/comments", f"/answers/{answer.id}/edit", f"/answers/{answer.id}/comments",
             f"/questions/{question.id}/vote", f"/answers/{answer.id}/vote", "/settings", "/password", "/language"]
    for path in paths:
        with subtests.test(path=path):
            response = client.post(path, {})
            assert response.status_code in (200, 302, 400, 422)
    assert (count(Question), count(Answer), count(Comment)) == (1, 1, 0)
    db.session.refresh(question)
    assert question.score == 0


def test_logged_out_forms_with_every_field_missing(client, subtests):
    for path in ["/login", "/register"]:
        with subtests.test(path=path):
            response = client.post(path, {}, csrf_from=path)
            assert response.status_code == 200
            assert "This field is required." in text(response)


def test_repeated_and_unknown_fields_are_harmless(client, make):
    client.login_as(make.user())
    token = client.csrf("/")
    response = client.client.post("/questions/ask", data={
        "csrf_token": token, "title": [GOOD_QUESTION["title"], "second title ignored"],
        "body": GOOD_QUESTION["body"], "tags": "sim", "author_id": "1", "score": "1000",
    })
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    assert question.title == GOOD_QUESTION["title"] and question.score == 0


QUERIES = [
    "status=unknown", "sort=unknown", "status=open&status=solved", "sort=%00", "status=%FF", "tag=%00",
    "tag=%FF%FE", "tag=" + "x" * 500, "tag=a%00b", "q=%00", "q=" + "y" * 5000, "tag[]=sim", "page[]=1",
]


def test_unknown_or_broken_list_parameters_show_the_list(client, make, subtests):
    make.question()
    for query in QUERIES:
        with subtests.test(query=query):
            assert client.get(f"/questions?{query}").status_code == 200


@pytest.mark.parametrize("language", ["", "xx", "*", "it;q=abc", "en-US,en;q=0.9,it;q=0.8", "\u00e9\u00e9"])
def test_odd_accept_language_headers(browser, language):
    client = browser(language)
    assert client.get("/questions").status_code == 200


def test_a_forged_language_cookie_is_ignored(client):
    client.client.set_cookie("lang", "../../etc/passwd")
    response = client.get("/questions")
    assert response.status_code == 200
    assert '<html lang="en">' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "", "../it"])
def test_setting_an_unknown_language_is_a_400(client, lang):
    assert client.post("/language", {"lang": lang}).status_code == 400


def test_language_switch_goes_back_to_a_safe_page_only(client):
    assert location(client.post("/language", {"lang": "en", "next": "/tags"})) == "/tags"
    assert location(client.post("/language", {"lang": "en", "next": "//evil.com"})) == "/questions"


@pytest.mark.parametrize("payload", [None, "not json", [1, 2], {"body": 5}, {"body": None}, {"body": ["x"]}, {}])
def test_preview_with_odd_json(client, payload):
    token = client.csrf("/")
    if isinstance(payload, str):
        response = client.client.post("/preview", data=payload, headers={"X-CSRFToken": token})
    else:
        response = client.client.post("/preview", json=payload, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.get_json() == {"html": ""}


def test_wrong_methods_are_405_pages(client, make):
    question = make.question()
    for method, path in [("GET", f"/questions/{question.id}/vote"), ("GET", "/logout"), ("DELETE", "/questions"),
                         ("PUT", f"/questions/{question.id}")]:
        response = client.client.open(path, method=method)
        assert response.status_code == 405, path
        assert "That is not possible here" in text(response)


class TestPreviewRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["RATELIMIT_ENABLED"] = True
        app_config["PREVIEW_RATE_LIMIT"] = "5 per minute"
        return app_config

    def test_a_script_hammering_the_preview_gets_429(self, client):
        token = client.csrf()
        for _ in range(5):
            ok = client.client.post("/preview", json={"body": "**ok**"}, headers={"X-CSRFToken": token})
            assert ok.get_json() == {"html": "<p><strong>ok</strong></p>\n"}
        refused = client.client.post("/preview", json={"body": "![" * 15000}, headers={"X-CSRFToken": token})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
