"""Every state-changing route of the app, classified: what it acts on, what it is sent, and
who may do it. tests/security/test_authorization_matrix.py fails when `app.url_map` has a
mutating route missing here, so a new route cannot ship unclassified.

Expectations list the outcome for each role, in the order of conftest.ROLES:
anonymous, newcomer, other member, owner, staff, admin.
  ok   the request is carried out (2xx, or a redirect that is not to the login page)
  L    must sign in first: 401 from the API, a redirect to /login from a page
  F    refused with a message: some page actions (vote, comment, the deflection prompts)
       go back to the thread with an error flash instead of a 403 page
  403  refused; 404 hidden
"""

import itertools
import re
from dataclasses import dataclass

from tests.factories import PASSWORD

from .conftest import ROLES

STAFF_ONLY = "L 403 403 403 ok ok"
ADMIN_ONLY = "L 403 403 403 403 ok"
OWNER_OR_STAFF = "L 403 403 ok ok ok"
ANY_MEMBER = "L ok ok ok ok ok"
ANYONE = "ok ok ok ok ok ok"
NOT_ONE_OWN = "L ok ok 403 ok ok"  # votes: everyone but the author
THREAD_OR_RANK = "L 403 ok ok ok ok"  # comments: the thread's people, or Member rank and up
ASKER_ONLY = "L 403 403 ok 403 403"  # the satisfaction survey is the asker's
PAGE_VOTE = "L ok ok F ok ok"
PAGE_COMMENT = "L F ok ok ok ok"
# The deflection prompts: "did this solve it?" is for readers, not the thread's asker or staff;
# "would you have contacted us?" for the asker, or a reader who said yes first.
READERS_ONLY = "ok ok ok F F F"
AFTER_YES = "F F F ok F F"
_unique = itertools.count(1)


@dataclass(frozen=True)
class PageForm:
    """Submit the form a settings page shows the admin, with these fields changed."""

    changes: dict


def _fill(value, params: dict, n: int):
    """Fill {placeholders}; a value that is just "{an_id}" stays a number (JSON bodies)."""
    if isinstance(value, list):
        return [_fill(item, params, n) for item in value]
    if not isinstance(value, str):
        return value
    whole = re.fullmatch(r"\{(\w+)\}", value)
    if whole and isinstance(params.get(whole.group(1)), int):
        return params[whole.group(1)]
    return value.format(**params, n=n, password=PASSWORD)


@dataclass(frozen=True)
class Route:
    """One state-changing route: what it acts on, the body sent, who may do it."""

    rule: str
    method: str
    target: str  # a builder of conftest.Targets
    expect: str
    data: dict | PageForm | None = None
    # Roles whose allowed request must change the database; None: every allowed role.
    writes: tuple | None = None
    json: bool = False  # a page route that takes JSON (beacons), with the CSRF header
    # The request uses its target up (accept, delete, escalate ...): the next role gets a new one.
    fresh: bool = False

    @property
    def api(self) -> bool:
        return self.rule.startswith("/api/")

    @property
    def key(self) -> str:
        return f"{self.method} {self.rule}"

    def expected(self) -> dict:
        return dict(zip(ROLES, self.expect.split(), strict=True))

    def path(self, params: dict) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m.group(1)]), self.rule)

    def body(self, params: dict):
        """The data sent, with {placeholders} filled from the target (and {n}: a fresh number)."""
        if not isinstance(self.data, dict):
            return self.data
        n = next(_unique)
        return {key: _fill(value, params, n) for key, value in self.data.items()}


ANSWER_BODY = {"body": "Restart the phone and wait {n} minutes, then try again."}
QUESTION_FORM = {"title": "How do I activate the new SIM {n}?",
                 "body": "The new SIM arrived but it does not activate; what should I do?", "tags": "sim"}
QUESTION_JSON = {"title": "How do I activate the new SIM {n}?",
                 "body": "The new SIM arrived but it does not activate; what should I do?", "tags": ["sim"]}
COMMENT = {"body": "Which phone model is it?"}
IDEA = {"title": "Offline mode for the app {n}", "body": "Let me read my answers without a connection.",
        "tags": "app"}
NEW_PASSWORD = {"current_password": "{password}", "password": "a fresh pass phrase {n}",
                "confirm": "a fresh pass phrase {n}"}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"

PAGES = [
    Route("/admin/deflection", "POST", "none", ADMIN_ONLY, PageForm({"currency": "CHF"})),
    Route("/admin/gamification", "POST", "none", ADMIN_ONLY, PageForm({"daily_cap": "150"})),
    Route("/admin/support", "POST", "none", ADMIN_ONLY,
          {"section": "ladder", "expert_minutes": "45", "escalate_hours": "30", "sla_hours": "10",
           "window_days": "20"}),
    Route("/answers/<int:answer_id>/accept", "POST", "answer", STAFF_ONLY, fresh=True),
    Route("/answers/<int:answer_id>/comments", "POST", "answer", PAGE_COMMENT, COMMENT),
    Route("/answers/<int:answer_id>/delete", "POST", "answer", OWNER_OR_STAFF, fresh=True),
    Route("/answers/<int:answer_id>/edit", "POST", "answer", OWNER_OR_STAFF,
          {"body": "Restart the phone, wait {n} minutes, then try again.", "summary": "clearer"}),
    Route("/answers/<int:answer_id>/unaccept", "POST", "accepted", STAFF_ONLY, fresh=True),
    Route("/answers/<int:answer_id>/unverify", "POST", "verified", STAFF_ONLY, fresh=True),
    Route("/answers/<int:answer_id>/verify", "POST", "answer", STAFF_ONLY, fresh=True),
    Route("/answers/<int:answer_id>/vote", "POST", "answer", PAGE_VOTE, {"value": "1"}),
    Route("/beacon/view", "POST", "question", ANYONE, {"question_id": "{question_id}", "dwell": 600},
          writes=(), json=True),
    Route("/ideas/<int:idea_id>/comments", "POST", "idea", ANY_MEMBER, {"body": "Yes please, for the night shift."}),
    Route("/ideas/<int:idea_id>/follow", "POST", "idea", ANY_MEMBER, writes=("newcomer", "other", "staff", "admin")),
    Route("/ideas/<int:idea_id>/merge", "POST", "idea", STAFF_ONLY, {"kept_id": "{kept_id}"}, fresh=True),
    Route("/ideas/<int:idea_id>/status", "POST", "idea", STAFF_ONLY,
          {"status": "planned", "response": "We plan it for the spring release."}, fresh=True),
    Route("/ideas/<int:idea_id>/unfollow", "POST", "followed_idea", ANY_MEMBER),
    Route("/ideas/<int:idea_id>/unvote", "POST", "voted_idea", ANY_MEMBER),
    Route("/ideas/<int:idea_id>/vote", "POST", "idea", NOT_ONE_OWN),
    Route("/ideas/new", "POST", "none", ANY_MEMBER, IDEA),
    Route("/language", "POST", "none", ANYONE, {"lang": "it"}, writes=("newcomer", "other", "owner", "staff", "admin")),
    Route("/login", "POST", "none", ANYONE, {"login": "bystander", "password": "{password}"}, writes=()),
    Route("/logout", "POST", "none", ANYONE, writes=()),
    Route("/notifications/read", "POST", "notified", ANY_MEMBER),
    Route("/password", "POST", "none", ANY_MEMBER, NEW_PASSWORD),
    Route("/preview", "POST", "none", ANYONE, {"body": "**bold**"}, writes=()),
    Route("/questions/<int:question_id>/answers", "POST", "question", ANY_MEMBER, ANSWER_BODY),
    Route("/questions/<int:question_id>/comments", "POST", "question", PAGE_COMMENT, COMMENT),
    Route("/questions/<int:question_id>/csat", "POST", "solved", ASKER_ONLY, {"score": "5"}, fresh=True),
    Route("/questions/<int:question_id>/delete", "POST", "question", OWNER_OR_STAFF, fresh=True),
    Route("/questions/<int:question_id>/edit", "POST", "question", OWNER_OR_STAFF,
          {**QUESTION_FORM, "summary": "clearer"}),
    Route("/questions/<int:question_id>/escalate", "POST", "question", OWNER_OR_STAFF, {"reason": "Still broken"},
          fresh=True),
    Route("/questions/<int:question_id>/notes", "POST", "question", STAFF_ONLY, {"body": "Known carrier outage."}),
    Route("/questions/<int:question_id>/solved-it", "POST", "solved", READERS_ONLY, {"solved": "yes"}, writes=()),
    Route("/questions/<int:question_id>/vote", "POST", "question", PAGE_VOTE, {"value": "1"}),
    Route("/questions/<int:question_id>/would-have-contacted", "POST", "solved", AFTER_YES, {"answer": "yes"},
          writes=()),
    Route("/questions/ask", "POST", "none", ANY_MEMBER, QUESTION_FORM),
    Route("/register", "POST", "none", ANYONE,
          {"username": "joiner{n}", "email": "joiner{n}@example.com", "password": "a long pass phrase {n}",
           "confirm": "a long pass phrase {n}", "locale": "en"}, writes=("anonymous",)),
    Route("/search/ask-flow", "POST", "question", ANYONE, {"event": "clicked", "question_id": "{question_id}",
                                                           "ids": ["{question_id}"]}, writes=(), json=True),
    Route("/settings", "POST", "none", ANY_MEMBER,
          {"display_name": "Renamed {n}", "bio": "", "locale": "en", "contact_channel": "email", "phone": "",
           "followed_tags": ""}),
    Route("/staff/escalations/<int:escalation_id>/assign", "POST", "escalation", STAFF_ONLY,
          {"assignee_id": "{staff_id}"}, fresh=True),
    Route("/staff/escalations/<int:escalation_id>/notes", "POST", "escalation", STAFF_ONLY,
          {"body": "Called the customer back."}),
    Route("/staff/escalations/<int:escalation_id>/resolve", "POST", "escalation", STAFF_ONLY,
          {"resolution": "staff_answer", "note": "Fixed on our side."}, fresh=True),
    Route("/staff/escalations/<int:escalation_id>/take", "POST", "escalation", STAFF_ONLY, fresh=True),
    Route("/staff/ideas/settings", "POST", "none", ADMIN_ONLY, {"open_votes": "7", "waiting_days": "21"}),
    Route("/staff/webhooks/<int:delivery_id>/redeliver", "POST", "delivery", STAFF_ONLY, fresh=True),
]

API = [
    Route("/api/v1/answers/<int:answer_id>", "PATCH", "answer", OWNER_OR_STAFF,
          {"body": "Restart the phone, wait {n} minutes, then try again."}),
    Route("/api/v1/answers/<int:answer_id>/accept", "POST", "answer", STAFF_ONLY, {}, fresh=True),
    Route("/api/v1/answers/<int:answer_id>/accept", "DELETE", "accepted", STAFF_ONLY, fresh=True),
    Route("/api/v1/answers/<int:answer_id>/comments", "POST", "answer", THREAD_OR_RANK, COMMENT),
    Route("/api/v1/answers/<int:answer_id>/verify", "POST", "answer", STAFF_ONLY, {}, fresh=True),
    Route("/api/v1/answers/<int:answer_id>/verify", "DELETE", "verified", STAFF_ONLY, fresh=True),
    Route("/api/v1/answers/<int:answer_id>/votes", "POST", "answer", NOT_ONE_OWN, {"value": 1}),
    Route("/api/v1/answers/<int:answer_id>/votes", "DELETE", "voted_answer", ANY_MEMBER),
    Route("/api/v1/auth/register", "POST", "none", ANYONE,
          {"username": "joiner{n}", "email": "joiner{n}@example.com", "password": "a long pass phrase {n}"}),
    Route("/api/v1/auth/token", "POST", "none", ANYONE, {"username": "bystander", "password": "{password}"}),
    Route("/api/v1/escalations/<int:escalation_id>", "PATCH", "escalation", STAFF_ONLY,
          {"note": "Called the customer back."}),
    Route("/api/v1/ideas", "POST", "none", ANY_MEMBER, {**IDEA, "tags": ["app"]}),
    Route("/api/v1/ideas/<int:idea_id>", "PATCH", "idea", STAFF_ONLY,
          {"status": "planned", "response": "We plan it for the spring release."}, fresh=True),
    Route("/api/v1/ideas/<int:idea_id>/votes", "POST", "idea", NOT_ONE_OWN, {}),
    Route("/api/v1/ideas/<int:idea_id>/votes", "DELETE", "voted_idea", ANY_MEMBER),
    Route("/api/v1/me/preferences", "PATCH", "none", ANY_MEMBER, {"locale": "it", "contact_channel": "sms"}),
    Route("/api/v1/notifications/read", "POST", "notified", ANY_MEMBER, {}),
    Route("/api/v1/questions", "POST", "none", ANY_MEMBER, QUESTION_JSON),
    Route("/api/v1/questions/<int:question_id>", "PATCH", "question", OWNER_OR_STAFF,
          {"title": "How do I activate the new eSIM {n}?"}),
    Route("/api/v1/questions/<int:question_id>/answers", "POST", "question", ANY_MEMBER, ANSWER_BODY),
    Route("/api/v1/questions/<int:question_id>/comments", "POST", "question", THREAD_OR_RANK, COMMENT),
    Route("/api/v1/questions/<int:question_id>/csat", "POST", "solved", ASKER_ONLY, {"score": 5}, fresh=True),
    Route("/api/v1/questions/<int:question_id>/escalate", "POST", "question", OWNER_OR_STAFF,
          {"reason": "Still broken"}, fresh=True),
    Route("/api/v1/questions/<int:question_id>/votes", "POST", "question", NOT_ONE_OWN, {"value": 1}),
    Route("/api/v1/questions/<int:question_id>/votes", "DELETE", "voted_question", ANY_MEMBER),
]

ROUTES = {route.key: route for route in PAGES + API}
