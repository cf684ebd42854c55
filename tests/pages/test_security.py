"""Security of the pages: headers and CSP, no inline code, CSRF, cookies, rate limits, error pages."""

import re

import pytest
from tests.factories import PASSWORD

from .helpers import elements, field_error, log_in, text


def directives(response) -> dict:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.fixture
def site(client, make):
    """A small community and the pages a member visits, including the error pages."""
    member = make.user(username="anna", bio="I <3 <b>bold</b> bios")
    other = make.user()
    question = make.question(author=member)
    answer = make.answer(question, author=other)
    make.answer(question)
    make.accept(member, answer)
    client.login_as(member)
    return {
        "index": "/questions",
        "home": "/",
        "filtered": "/questions?status=solved&tag=sim&sort=votes",
        "question": f"/questions/{question.id}",
        "history": f"/questions/{question.id}/revisions",
        "edit question": f"/questions/{question.id}/edit",
        "ask": "/questions/ask",
        "profile": f"/users/{member.id}",
        "other profile": f"/users/{other.id}",
        "settings": "/settings",
        "password": "/password",
        "tags": "/tags",
        "404": "/no-such-page",
        "403": f"/answers/{answer.id}/edit",
    }


def crawl(client, site, anonymous_too=True):
    """Yield (name, response) for every page, signed in and (for public ones) signed out."""
    for name, path in site.items():
        yield name, client.get(path)
    if anonymous_too:
        client.logout()
        for name in ("login", "register"):
            yield name, client.get(f"/{name}")
        for name in ("index", "question", "profile", "404"):
            yield f"{name} (signed out)", client.get(site[name])


def test_crawled_pages_have_the_expected_status(client, site):
    statuses = {name: response.status_code for name, response in crawl(client, site)}
    expected = {name: 200 for name in statuses} | {"404": 404, "403": 403, "404 (signed out)": 404}
    assert statuses == expected


def assert_security_headers(response):
    """Assert an HTML response carries the CSP and headers of the foundation issue.

    Shared with the crawler over every route (test_headers_everywhere.py).
    """
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_every_html_page_carries_the_security_headers(client, site, subtests):
    for name, response in crawl(client, site):
        with subtests.test(page=name):
            assert response.mimetype == "text/html"
            assert_security_headers(response)


def test_no_inline_script_or_style_in_any_page(client, site, subtests):
    for name, response in crawl(client, site):
        with subtests.test(page=name):
            page = elements(response)
            assert page.inline_scripts == []
            assert [tag for tag, attrs in page.tags if "style" in attrs] == []
            assert [tag for tag, attrs in page.tags if tag == "style"] == []
            assert [(tag, a) for tag, attrs in page.tags for a in attrs if a.startswith("on")] == []
            hrefs = [attrs.get("href") or "" for tag, attrs in page.tags if tag == "a"]
            assert not [h for h in hrefs if h.lower().startswith("javascript:")]
            scripts = [attrs["src"] for tag, attrs in page.tags if tag == "script"]
            assert all(src.startswith("/static/") for src in scripts)


def test_every_post_form_carries_a_csrf_token(client, site, subtests):
    for name, response in crawl(client, site):
        with subtests.test(page=name):
            forms = elements(response).forms
            assert forms, "every page has at least the language switch"
            for form in forms:
                if form["attrs"].get("method", "get").lower() == "post":
                    assert form["inputs"].get("csrf_token"), form["attrs"]


def test_user_text_is_escaped_in_the_profile(client, site):
    body = client.get(site["profile"]).get_data(as_text=True)
    assert "I &lt;3 &lt;b&gt;bold&lt;/b&gt; bios" in body


def test_static_files_and_json_carry_nosniff(client):
    assert client.get("/static/js/app.js").headers["X-Content-Type-Options"] == "nosniff"
    assert client.post("/preview", {}).headers["X-Content-Type-Options"] == "nosniff"


# CSRF on every mutating route (missing, wrong, another session's token): tests/security/.


# --- cookies in production ---------------------------------------------------------------

class TestProductionCookies:
    @pytest.fixture
    def app_config(self, app_config, monkeypatch):
        monkeypatch.setenv("PASSAPAROLA_ENV", "production")
        return app_config

    def test_session_cookie_is_secure_httponly_and_lax(self, app, browser, make):
        assert app.config["SESSION_COOKIE_SECURE"] is True
        make.user(username="anna")
        client = browser().client
        page = client.get("/login", base_url="https://localhost")
        token = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True)).group(1)
        # Over https Flask-WTF also wants a same-site Referer, as browsers send.
        response = client.post("/login", data={"login": "anna", "password": PASSWORD, "remember": "y",
                                               "csrf_token": token}, base_url="https://localhost",
                               headers={"Referer": "https://localhost/login"})
        assert response.status_code == 302
        cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
        for name in ("session", "remember_token"):
            attributes = [a.strip().lower() for a in cookies[name].split(";")]
            assert "secure" in attributes and "httponly" in attributes and "samesite=lax" in attributes, cookies[name]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")

    def test_language_cookie_is_secure_too(self, browser):
        client = browser()
        response = client.post("/language", {"lang": "en"})
        cookie = response.headers["Set-Cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_development_cookies_still_httponly_and_lax(client, make):
    make.user(username="anna")
    response = log_in(client, "anna")
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


# --- rate limits -------------------------------------------------------------------------

class TestLoginRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["RATELIMIT_ENABLED"] = True
        return app_config

    def test_too_many_logins_get_429_with_retry_after_and_a_friendly_page(self, client, make):
        make.user(username="anna")
        for _ in range(6):
            assert field_error(log_in(client, "anna", "wrong password"), "password") == "Wrong username or password."
        response = log_in(client, "anna", PASSWORD)
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 60
        assert "Too many requests" in text(response)
        assert "Please wait a moment and try again." in text(response)
        assert "Content-Security-Policy" in response.headers
        # Reading the login page is not limited; only attempts are.
        assert client.get("/login").status_code == 200


# --- error pages in both languages -------------------------------------------------------

def test_404_in_english(browser):
    response = browser("en").get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Page not found" in text(response)
    assert "We could not find what you were looking for." in text(response)


def test_404_in_italian_has_the_right_language(browser):
    response = browser("it").get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="it">' in response.get_data(as_text=True)


def test_404_in_italian_is_worded_in_italian(browser):
    assert "Pagina non trovata" in text(browser("it").get("/no-such-page"))


def test_member_language_wins_over_the_browser(browser, make):
    client = browser("it")
    client.login_as(make.user(locale="en"))
    assert '<html lang="en">' in client.get("/no-such-page").get_data(as_text=True)


def test_403_page_explains(client, make):
    answer = make.answer(make.question())
    client.login_as(make.user())
    response = client.get(f"/answers/{answer.id}/edit")
    assert response.status_code == 403
    assert "You cannot do this" in text(response)
    assert re.search(r'href="/questions"[^>]*>Back to the community', response.get_data(as_text=True))


def test_an_unexpected_error_shows_a_friendly_500(client, app, monkeypatch):
    from support.qa import routes

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "popular_tags", broken)
    response = client.get("/tags")
    assert response.status_code == 500
    assert "Something went wrong on our side" in text(response)
    assert "boom" not in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers
