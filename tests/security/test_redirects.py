"""Open redirects (issue 10): whatever `next=` (or a Referer) says, every redirect stays on the site."""

import functools
import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from werkzeug.security import generate_password_hash

from support.extensions import db
from support.services import accounts
from tests.factories import PASSWORD
from tests.figures import record

from .conftest import signed_in

EVIL = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/questions",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "///evil.example",
    "////evil.example",
    "http:evil.example",
    "https:/evil.example",
    "https:evil.example",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "\n//evil.example",
    "//evil.example@localhost",
    "https://localhost@evil.example",
    "//localhost.evil.example",
    "/ /evil.example",
]


def stays_on_site(location: str) -> bool:
    """Whether a browser following this Location stays on localhost.

    Browsers drop tabs and newlines, trim spaces, read a backslash as a slash and any run
    of leading slashes as two, so "/\\evil.example" and "///evil.example" are
    "//evil.example" to them: resolve the Location as they do."""
    browser_view = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    browser_view = re.sub(r"^/{2,}", "//", browser_view)
    parts = urlsplit(urljoin("http://localhost/questions", browser_view))
    return parts.scheme in ("http", "https") and parts.hostname == "localhost"


def location(response) -> str:
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    return response.headers["Location"]


@pytest.fixture
def quick_hashes(cast, monkeypatch):
    """Cheap password hashes: this test signs in and registers dozens of times, and what it
    checks is where each one is sent next, not the hashing (test_passwords_and_sessions)."""
    quick = functools.partial(generate_password_hash, method="pbkdf2:sha256:1")
    monkeypatch.setattr(accounts, "generate_password_hash", quick)
    cast.user("owner").password_hash = quick(PASSWORD)
    db.session.commit()


def test_next_never_leads_off_the_site(app, cast, targets, quick_hashes, doctor):
    owner, staff = cast.user("owner"), cast.user("staff")
    sent, escaped = 0, []

    def check(what, payload, response):
        nonlocal sent
        sent += 1
        target = location(response)
        if not stays_on_site(target):
            escaped.append(f"{what} next={payload!r} -> {target!r}")

    for payload in EVIL:
        # Signing in through the form, `next` in the form and in the query string.
        client, token = signed_in(app, None)
        check("login", payload, client.post(f"/login?next={quote(payload)}", data={
            "login": "owner", "password": PASSWORD, "next": payload, "csrf_token": token}))
        # Already signed in: the login page sends the member on at once.
        client, token = signed_in(app, owner)
        check("login (signed in)", payload, client.get(f"/login?next={quote(payload)}"))
        check("language", payload, client.post("/language", data={"lang": "en", "next": payload, "csrf_token": token}))
        check("logout", payload, client.post(f"/logout?next={quote(payload)}",
                                             data={"next": payload, "csrf_token": token}))
        # A button that needs sign-in, pressed from a page the Referer names.
        anonymous, token = signed_in(app, None)
        if "\n" not in payload:  # no browser sends a header with a newline
            check("sign-in prompt", payload, anonymous.post("/settings", data={"csrf_token": token},
                                                              headers={"Referer": payload}))
        check("sign-in prompt", payload, anonymous.get(f"/settings?next={quote(payload)}"))
    # Staff taking an escalation go back where the form says (taken once, then refused: same redirect).
    escalation_id = targets.escalation()["escalation_id"]
    for payload in EVIL:
        client, token = signed_in(app, staff)
        check("take", payload, client.post(f"/staff/escalations/{escalation_id}/take",
                                           data={"next": payload, "csrf_token": token}))
    # Registering.
    for n, payload in enumerate(EVIL):
        client, token = signed_in(app, None)
        check("register", payload, client.post(f"/register?next={quote(payload)}", data={
            "username": f"joiner{n}", "email": f"joiner{n}@example.com", "password": "a long pass phrase",
            "confirm": "a long pass phrase", "locale": "en", "next": payload, "csrf_token": token}))
    record("redirects", "next= payloads", payloads=len(EVIL), requests=sent, unexpected=len(escaped))
    assert not escaped, "\n".join(escaped)
    doctor()


def test_safe_next_still_works(app, make, doctor):
    """The other half: a path on the site is followed, with its query string."""
    make.user(username="anna", locale="en")
    client, token = signed_in(app, None)
    response = client.post("/login", data={"login": "anna", "password": PASSWORD, "next": "/tags?page=2",
                                           "csrf_token": token})
    assert location(response) == "/tags?page=2"
    doctor()
