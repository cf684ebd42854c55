"""Authorization (issue 10): every role x every state-changing route, and the private reads.

The routes come from `app.url_map`; each is classified in tests/security/routes.py. For each
route, a target owned by the cast's owner is built, and every role sends the request: the
outcome must be the expected one, a refused request must leave every table as it was, and
an allowed one must actually have done something (so "ok" is not a silently ignored form).
"""

import pytest

from tests.figures import record, scale

from .calls import fill, get_routes, outcome, prepare
from .conftest import ROLES, changed_tables, fingerprint, signed_in
from .routes import ROUTES

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# Tables that may change on a refused request, by design. None today: a refusal writes
# nothing, not even an audit row (audit_log records changes that happened).
REFUSAL_MAY_WRITE = ()


def mutating_routes(app) -> set[str]:
    """Every (method, rule) of the app that can change state."""
    return {f"{method} {rule.rule}" for rule in app.url_map.iter_rules() for method in rule.methods & MUTATING}


def test_every_mutating_route_is_classified(app):
    found = mutating_routes(app)
    assert sorted(found - ROUTES.keys()) == [], "classify these new routes in tests/security/routes.py"
    assert sorted(ROUTES.keys() - found) == [], "these classified routes no longer exist"


def run_route(app, cast, targets, route) -> list[str]:
    """Send `route` as every role; return what was unexpected."""
    expected = route.expected()
    writers = ROLES if route.writes is None else route.writes
    problems, params, before = [], None, None
    if route.api:
        for role in ROLES:
            cast.headers(role)  # tokens first, so the fingerprints see only the requests
    for role in ROLES:
        if params is None:
            params, before = getattr(targets, route.target)(), None
        client, send = prepare(app, cast, route, role, params)
        before = before or fingerprint(REFUSAL_MAY_WRITE)
        response = send()
        got = outcome(route, response, client)
        after = fingerprint(REFUSAL_MAY_WRITE)
        if got != expected[role]:
            problems.append(f"{role}: expected {expected[role]}, got {got} ({response.status_code})")
        elif got != "ok" and before != after:
            problems.append(f"{role}: refused ({got}) but changed {changed_tables(before, after)}")
        elif got == "ok" and role in writers and before == after:
            problems.append(f"{role}: allowed but changed nothing ({response.status_code})")
        if route.fresh and before != after:
            params = None  # the target was used up: the next role gets a new one
        before = after
    return problems


# Routes are checked in a few batches, each in one database: building the app and the cast
# for each of the ~70 routes would cost more than the checks themselves.
BATCHES = 4


@pytest.mark.parametrize("batch", range(BATCHES))
def test_each_role_gets_only_the_expected_response(app, cast, targets, batch, doctor):
    problems = []
    for key in sorted(ROUTES)[batch::BATCHES]:
        found = run_route(app, cast, targets, ROUTES[key])
        record("authorization", key, requests=len(ROLES), cells=len(ROLES), unexpected=len(found))
        problems += [f"{key} {problem}" for problem in found]
    assert not problems, "\n".join(problems)
    doctor()


# --- private reads -----------------------------------------------------------------------

SECRETS = {
    # what: (text planted, roles that may read it)
    "staff note": ("Carrier outage ticket 7731", {"staff", "admin"}),
    "escalation reason": ("my router shows code E-4410", {"owner", "staff", "admin"}),
    "email": ("owner.private@example.com", {"owner", "staff", "admin"}),
    "phone": ("+39 333 0101 777", {"owner", "staff", "admin"}),
}
# Preferences are checked by their keys: a followed tag's name is public (tag lists show it).
PRIVATE_KEYS = {"email", "phone", "preferences", "contact_channel", "followed_tags", "locale", "session_version"}
# Pages and API reads for staff only: anyone else gets 401, 403 or the login page.
STAFF_READS = ("/staff/", "/admin/", "/api/v1/escalations", "/api/v1/metrics/")
# Where the readers who may see a secret do see it (so the crawl below can fail).
SHOWN = {
    "staff note": [("staff", "/questions/{question_id}"), ("admin", "/api/v1/escalations/{escalation_id}")],
    "escalation reason": [("owner", "/questions/{question_id}"), ("staff", "/staff/escalations/{escalation_id}")],
    "email": [("owner", "/api/v1/me")],
    "phone": [("owner", "/settings"), ("staff", "/staff/escalations/{escalation_id}")],
}


@pytest.fixture
def private_world(app, cast, targets):
    """The owner's escalated thread with a reason and a staff note, and the owner's contact details."""
    from support.extensions import db
    from support.services import accounts, escalations

    owner = cast.user("owner")
    owner.email = SECRETS["email"][0]
    db.session.commit()
    accounts.update_preferences(owner.id, contact_channel="sms", phone=SECRETS["phone"][0],
                                followed_tags=["voicemail"])
    params = targets.thread()
    escalation = escalations.escalate(owner, params["question_id"], SECRETS["escalation reason"][0])
    escalations.add_note(cast.user("staff"), params["question_id"], SECRETS["staff note"][0])
    return {**params, **targets.idea(), "escalation_id": escalation.id, "user_id": owner.id}


def test_private_things_are_read_only_by_who_may(app, cast, private_world, doctor):
    leaks, shown, requests = [], [], 0
    # Every GET route, as each role that must not see some secret (a newcomer reads what
    # another member does: only in the full run).
    for role in scale(("anonymous", "other", "owner"), ("anonymous", "newcomer", "other", "owner")):
        client, headers = signed_in(app, cast.user(role))[0], cast.headers(role)
        for rule in get_routes(app):
            path = fill(rule, private_world)
            response = client.get(path, headers=headers if path.startswith("/api/") else {})
            body = response.get_data(as_text=True)
            requests += 1
            if rule.startswith(STAFF_READS) and response.status_code < 300:
                leaks.append(f"{role} opens {path} ({response.status_code})")
            leaks += [f"{role} reads the {what} at {path}" for what, (secret, readers) in SECRETS.items()
                      if role not in readers and secret in body]
    for what, places in SHOWN.items():
        for role, path in places:
            client = signed_in(app, cast.user(role))[0]
            path = path.format(**private_world)
            headers = cast.headers(role) if path.startswith("/api/") else {}
            body = client.get(path, headers=headers).get_data(as_text=True)
            requests += 1
            if SECRETS[what][0] not in body:
                shown.append(f"{role} cannot read the {what} at {path}")
    for role in ("anonymous", "newcomer", "other", "staff"):
        profile = app.test_client().get(f"/api/v1/users/{private_world['user_id']}", headers=cast.headers(role))
        requests += 1
        leaks += [f"{role} reads {key} in the API profile" for key in PRIVATE_KEYS & profile.get_json().keys()]
    record("authorization", "private reads", requests=requests, cells=requests, unexpected=len(leaks) + len(shown))
    assert not leaks, "\n".join(leaks)
    assert not shown, "\n".join(shown)
    doctor()
