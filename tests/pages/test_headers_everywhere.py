"""Every route answers with the security headers (issue 10): a crawler over the whole url_map.

test_security.py checks the pages a member follows by links; this one walks `app.url_map`
itself, so a route added tomorrow is crawled (or the test fails) without anyone listing it.
Each GET rule is filled with ids from a small seeded community and requested as anonymous,
member, staff and admin: every HTML answer, whatever its status, must carry the CSP and the
headers test_security.py expects, and every other answer (JSON, CSV, static) `nosniff`.
"""

from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace

from support.services import escalations, ideas, posts
from tests.figures import record

from .test_security import assert_security_headers

# Rules that cannot be requested as a page. The url_map holds none today (Socket.IO is
# served by its own WSGI middleware, outside Flask's routing); list one here with the reason.
SKIPPED_RULES: dict[str, str] = {}

# Values for path parameters that are not ids of the seeded community.
FIXED_VALUES = {"filename": "js/app.js"}
# Query strings a rule needs to answer at all (the metrics API requires a period).
_PERIOD = f"from={date.today() - timedelta(days=30)}&to={date.today()}"
QUERIES = {"/api/v1/metrics/community": _PERIOD, "/api/v1/metrics/deflection": _PERIOD}

ROLES = ("anonymous", "member", "staff", "admin")


def seed_community(make) -> SimpleNamespace:
    """Build a small community where every kind of object a URL names exists.

    Shared with tests/api/test_schemathesis.py so both walk real ids, not only 404s.
    """
    asker = make.user(username="asker")
    helper = make.user(username="helper", points=500)
    staff = make.staff(username="deskstaff")
    admin = make.user(username="boss", role="admin")
    question = make.question(author=asker, tags=("sim", "roaming"))
    answer = make.answer(question, author=helper)
    make.answer(question)
    make.vote(asker, answer)
    make.accept(asker, answer)
    posts.edit_answer(helper, answer.id, "Restart the phone, then wait five minutes for the SIM.", "clearer")
    posts.post_comment(asker, "Thanks, that worked.", answer_id=answer.id)
    stuck = make.question(author=asker, tags=("billing",))
    escalation = escalations.escalate(asker, stuck.id, "Still charged twice")
    idea = ideas.post_idea(helper, "Scheduled top-ups from the app",
                           "It would help a lot if the app could top up on a schedule.", ["app"])
    return SimpleNamespace(
        asker=asker, helper=helper, staff=staff, admin=admin, question=question, answer=answer,
        stuck=stuck, escalation=escalation, idea=idea,
        ids={"question_id": question.id, "answer_id": answer.id, "user_id": helper.id,
             "idea_id": idea.id, "escalation_id": escalation.id},
    )


def get_rules(app) -> list:
    """Every rule of the app that answers GET, in a stable order."""
    return sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)


def fill(rule, ids: dict) -> str:
    """Build a URL for `rule` from the seeded ids; fail loudly on a parameter nobody fills."""
    values = {}
    for name in rule.arguments:
        value = ids.get(name, FIXED_VALUES.get(name))
        assert value is not None, f"{rule.rule}: no value for <{name}>; add it to the seed or FIXED_VALUES"
        values[name] = value
    url = rule.build(values, append_unknown=False)[1]
    return f"{url}?{QUERIES[rule.rule]}" if rule.rule in QUERIES else url


def header_problems(response) -> list[str]:
    """What a response lacks: the full set of page headers for HTML, nosniff for anything else."""
    if response.mimetype == "text/html":
        try:
            assert_security_headers(response)
        except KeyError as error:  # a header or a CSP directive is missing altogether
            return [f"html: no {error.args[0] if error.args else error}"]
        except AssertionError as error:
            return [f"html: {str(error).splitlines()[0]}"]
        return []
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        return [f"{response.mimetype}: no nosniff"]
    return []


def sign_in(browser, community, role):
    """Return a fresh browser signed in as `role` (or signed out)."""
    client = browser()
    people = {"member": community.asker, "staff": community.staff, "admin": community.admin}
    return client.login_as(people[role]) if role in people else client


def test_every_get_route_carries_the_security_headers_for_every_role(app, browser, make, doctor):
    community = seed_community(make)
    rules = [rule for rule in get_rules(app) if rule.rule not in SKIPPED_RULES]
    statuses, kinds = Counter(), Counter()
    problems, reached = [], set()
    for role in ROLES:
        client = sign_in(browser, community, role)
        for rule in rules:
            url = fill(rule, community.ids)
            response = client.get(url)
            statuses[f"{response.status_code // 100}xx"] += 1
            kinds[response.mimetype] += 1
            problems += [f"{role} GET {url} {response.status_code}: {p}" for p in header_problems(response)]
            if response.status_code < 400:
                reached.add(rule.rule)
    unreached = sorted({rule.rule for rule in rules} - reached)
    record("headers", "every GET route x role", routes=len(rules), skipped=len(SKIPPED_RULES),
           roles=len(ROLES), requests=statuses.total(), responses_checked=statuses.total(), statuses=dict(statuses),
           html=kinds["text/html"], json=kinds["application/json"],
           missing_headers=len(problems), unreached=len(unreached))
    assert problems == []
    # A rule that no role could open is only crawled as an error page: seed what it needs.
    assert unreached == []
    assert statuses["5xx"] == 0
    assert set(SKIPPED_RULES) <= {rule.rule for rule in app.url_map.iter_rules()}, "stale skip-list entries"
    doctor()
