"""Sending a classified route (tests/security/routes.py) as one role, naming the outcome, and
filling in the GET routes of `app.url_map`."""

from urllib.parse import urlencode, urlsplit

from tests.pages.helpers import elements

from .conftest import signed_in
from .routes import BROWSER, PageForm, Route


def error_flashed(client) -> bool:
    """Whether the page put an error message in the session for the next page to show."""
    with client.session_transaction() as session:
        return any(category == "error" for category, _message in session.get("_flashes", []))


def outcome(route, response, client) -> str:
    """Name a response as the expectation table does: ok, L (sign in first), F (refused with
    a message), or the status."""
    status = response.status_code
    if status == 401 and route.api:
        return "L"
    if status in (301, 302, 303) and urlsplit(response.headers["Location"]).path == "/login":
        return "L"
    if status < 400 and not route.api and error_flashed(client):
        return "F"
    return "ok" if status < 400 else str(status)


def page_form_values(app, cast, path) -> dict:
    """The values of the form a settings page shows the admin (to submit them unchanged)."""
    client, _token = signed_in(app, cast.user("admin"))
    page = elements(client.get(path))
    # The settings form is the page's largest (the others are the logout and language buttons).
    form = max(page.forms, key=lambda f: len(f["inputs"]))
    return {name: value or "" for name, value in form["inputs"].items() if name != "csrf_token"}


def prepare(app, cast, route, role, params, csrf="valid"):
    """Return (client, a function sending `route` as `role`); tokens and sessions are made
    beforehand, so the fingerprint taken after this sees only what the request itself does.

    `csrf` is the page's token: "valid", or "missing", "wrong" or "foreign" (valid, but for
    another browser's session). API routes carry a bearer token and no CSRF token."""
    user = cast.user(role)
    path = route.path(params)
    data = route.body(params)
    if isinstance(data, PageForm):
        data = {**page_form_values(app, cast, path), **data.changes}
    if route.api:
        client, headers = app.test_client(), cast.headers(role)
        return client, lambda: client.open(path, method=route.method, json=data, headers=headers)
    client, token = signed_in(app, user)
    token = csrf_variant(app, cast, token, csrf)
    if route.json:
        headers = {"User-Agent": BROWSER} | ({"X-CSRFToken": token} if token is not None else {})
        return client, lambda: client.open(path, method=route.method, json=data, headers=headers)
    form = {**(data or {})} | ({"csrf_token": token} if token is not None else {})
    return client, lambda: client.open(path, method=route.method, data=form)


def csrf_variant(app, cast, token, csrf):
    """The token a request carries: its own, none, a forged one, or another session's."""
    if csrf == "valid":
        return token
    if csrf == "missing":
        return None
    if csrf == "wrong":
        return token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    _other_browser, foreign = signed_in(app, cast.bystander)
    return foreign


# Query strings that make a route do its work (a search needs words).
QUERIES = {
    "/search": {"q": "SIM activate"},
    "/api/v1/search": {"q": "SIM activate"},
    "/ideas/similar": {"title": "Dark mode for the app"},
    "/api/v1/questions/similar": {"title": "How do I activate the SIM"},
}


def get_routes(app) -> list[str]:
    """Every GET rule but the static files."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and rule.endpoint != "static"})


def fill(rule: str, params: dict) -> str:
    """The path of a GET rule with its parameters (and query string) filled in."""
    path = Route(rule, "GET", "none", "").path(params)
    return path + ("?" + urlencode(QUERIES[rule]) if rule in QUERIES else "")
