"""No GET changes state (issue 10): every GET route of `app.url_map`, its parameters filled
with real objects, read by every role, leaves the database as it was (a cache aside)."""

from tests.figures import record, scale

from .calls import fill, get_routes
from .conftest import ROLES, changed_tables, fingerprint, signed_in

# Tables a read may write by design; none of them is state a member sees or acts on.
READS_MAY_WRITE = (
    # A cache, not state: the staff segments chart stores a past day's segment counts
    # (computed from posts and votes) the first time it draws that day, so later views
    # need not recompute them. Nothing anyone sees or does changes.
    "segment_snapshots",
)


def test_no_get_changes_state(app, cast, targets, doctor):
    params = {**targets.escalation(), **targets.thread(), **targets.idea(), "user_id": cast.user("owner").id}
    # Every role in the full run; in CI the ones that see different pages (an admin sees
    # every staff page too).
    roles = scale(("anonymous", "owner", "admin"), ROLES)
    clients = {role: signed_in(app, cast.user(role))[0] for role in roles}
    api_headers = {role: cast.headers(role) for role in roles}
    paths = [fill(rule, params) for rule in get_routes(app)]
    before = fingerprint(READS_MAY_WRITE)
    statuses, problems = {}, []
    for path in paths:
        for role in roles:
            headers = api_headers[role] if path.startswith("/api/") else {}
            status = clients[role].get(path, headers=headers).status_code
            statuses[f"{status // 100}xx"] = statuses.get(f"{status // 100}xx", 0) + 1
            if status >= 500:
                problems.append(f"{role} GET {path}: {status}")
        after = fingerprint(READS_MAY_WRITE)  # once per path, after every role read it
        if after != before:
            problems.append(f"GET {path} changed {changed_tables(before, after)}")
            before = after
    record("get_is_safe", "every GET route", routes=len(paths), requests=len(paths) * len(roles),
           unexpected=len(problems), statuses=statuses)
    assert not problems, "\n".join(problems)
    doctor()
