"""CSRF (issue 10): every state-changing page route refuses a missing, wrong or foreign token,
and the API cannot be written to through the page's cookie without the CSRF header.

Each request is sent by a role the route allows, with the data that succeeds in the
authorization matrix: only the token differs, so a 400 here is the CSRF check's doing.
tests/pages/test_security.py keeps its readable examples; this covers every route.
"""

import pytest

from tests.figures import record, scale

from .calls import prepare
from .conftest import changed_tables, fingerprint, signed_in
from .routes import API, PAGES, ROUTES

CSRF_MESSAGE = "Please reload the page and try again."
VARIANTS = ("missing", "wrong", "foreign")
# These act for nobody (they create an account, or hand out a token for a password): a
# caller's session gives them nothing to forge.
NO_CALLER = {"POST /api/v1/auth/register", "POST /api/v1/auth/token"}


def allowed_role(route) -> str:
    """A role the route lets through, preferring one whose request changes the database."""
    expected = route.expected()
    allowed = [role for role, result in expected.items() if result == "ok"]
    writers = [role for role in allowed if route.writes is None or role in route.writes]
    return (writers or allowed)[0]


def shared_targets(targets, routes) -> dict:
    """One target of each kind the routes need, built before the first fingerprint and
    shared by every route: refused requests leave it as it was."""
    return {kind: getattr(targets, kind)() for kind in sorted({route.target for route in routes})}


def note_changes(before, label: str, problems: list) -> tuple:
    """Fingerprint the database; add to `problems` what changed since `before`; return the new one."""
    after = fingerprint()
    if before != after:
        problems.append(f"{label}: changed {changed_tables(before, after)}")
    return after


def test_every_page_route_refuses_a_bad_csrf_token(app, cast, targets, doctor):
    problems, sent, before = [], 0, None
    built = shared_targets(targets, PAGES)
    for route in PAGES:
        params = built[route.target]
        role = allowed_role(route)
        before = before or fingerprint()
        for variant in VARIANTS:
            _client, send = prepare(app, cast, route, role, params, csrf=variant)
            response = send()
            sent += 1
            body = response.get_data(as_text=True)
            if response.status_code != 400 or (not route.json and CSRF_MESSAGE not in body):
                problems.append(f"{route.key} {variant}: {response.status_code}")
        before = note_changes(before, route.key, problems)  # once per route: a change is its doing
    record("csrf", "page routes", routes=len(PAGES), requests=sent, unexpected=len(problems))
    assert not problems, "\n".join(problems)
    doctor()


def cookie_call(app, cast, route, role, params, header):
    """Send an API route with the page's session cookie instead of a bearer token."""
    client, token = signed_in(app, cast.user(role))
    headers = {"Accept": "application/json"}
    if header == "valid":
        headers["X-CSRFToken"] = token
    elif header == "wrong":
        headers["X-CSRFToken"] = token[:-6] + "AAAAAA"
    elif header == "foreign":
        headers["X-CSRFToken"] = signed_in(app, cast.bystander)[1]
    return lambda: client.open(route.path(params), method=route.method, json=route.body(params), headers=headers)


def test_the_api_refuses_cookie_writes_without_the_csrf_header(app, cast, targets, doctor):
    problems, sent, before = [], 0, None
    built = shared_targets(targets, API)
    routes = [route for route in API if route.key not in NO_CALLER]
    for n, route in enumerate(routes):
        params = built[route.target]
        role = allowed_role(route)
        before = before or fingerprint()
        # One path in the app checks the header for every API route: in CI each route gets
        # one of the bad headers in turn (each kind ~8 routes), the full run all three.
        for variant in scale(VARIANTS[n % len(VARIANTS):][:1], VARIANTS):
            response = cookie_call(app, cast, route, role, params, variant)()
            sent += 1
            if response.status_code != 401:
                problems.append(f"{route.key} {variant}: {response.status_code}")
        before = note_changes(before, route.key, problems)  # once per route: a change is its doing
    record("csrf", "API with a cookie", routes=len(routes), requests=sent, unexpected=len(problems))
    assert not problems, "\n".join(problems)
    doctor()


@pytest.mark.parametrize("key", ["POST /api/v1/questions/<int:question_id>/answers", "PATCH /api/v1/me/preferences"])
def test_the_api_accepts_a_cookie_write_with_the_csrf_header(app, cast, targets, key, doctor):
    """The other half of the check above: the page's own scripts can write with the header."""
    route = ROUTES[key]
    params = getattr(targets, route.target)()
    before = fingerprint()
    response = cookie_call(app, cast, route, allowed_role(route), params, "valid")()
    assert response.status_code in (200, 201)
    assert fingerprint() != before
    doctor()
