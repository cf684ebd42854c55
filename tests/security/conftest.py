"""Fixtures of the security battery: a cast of roles, signed-in callers and a database fingerprint.

Every check here asks the same question: "did this request change anything it should not
have?". `fingerprint()` answers it for the whole database (every table, through SQLAlchemy,
so it works the same on SQLite and PostgreSQL); the `cast` owns the objects the other roles
try to touch.
"""

import hashlib
import secrets
from dataclasses import dataclass, field

import pytest
from flask import current_app
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from support.extensions import db
from support.models import Answer, Question, WebhookDelivery
from support.notify import notify
from support.services import escalations, ideas, official
from support.services.accounts import issue_token, user_for_token

ROLES = ("anonymous", "newcomer", "other", "owner", "staff", "admin")


def fingerprint(skip=()) -> dict:
    """Return {table: (row count, hash of the rows)} for every table not in `skip`."""
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        rows = [repr(tuple(row)) for row in db.session.execute(select(table))]
        found[table.name] = (len(rows), hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()[:16])
    db.session.rollback()  # do not keep a read transaction open while the app writes
    return found


def changed_tables(before: dict, after: dict) -> list[str]:
    """Name the tables whose rows differ between two fingerprints."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


@dataclass
class Cast:
    """The people of the matrix: `owner` owns every target, `bystander` is the third party
    (the asker of the question the owner answered, the author of other ideas)."""

    people: dict
    bystander: object
    tokens: dict = field(default_factory=dict)

    def user(self, role):
        return self.people[role]

    def headers(self, role) -> dict:
        """Headers of an API call as `role`: its bearer token (issued again only when a
        password change has ended the last one), or none."""
        cached = self.tokens.get(role)
        if cached is None or "Authorization" in cached and user_for_token(cached["Authorization"][7:]) is None:
            self.tokens[role] = bearer(self.user(role))
        return self.tokens[role]


@pytest.fixture
def cast(make):
    """Six roles plus a bystander; members read the site in English."""
    people = {
        "anonymous": None,
        "newcomer": make.user(username="newcomer", points=1, locale="en"),
        "other": make.user(username="other", points=60, locale="en"),
        "owner": make.user(username="owner", points=60, locale="en"),
        "staff": make.user(username="staffer", role="staff", points=1, locale="en"),
        "admin": make.user(username="admin", role="admin", points=1, locale="en"),
    }
    return Cast(people=people, bystander=make.user(username="bystander", points=60, locale="en"))


def csrf_token_for(client) -> str:
    """Give a test client's session a CSRF secret and return the signed token for it.

    This is what Flask-WTF's generate_csrf() does when a page renders a form; doing it
    directly spares rendering a page for each of the hundreds of requests of the matrix.
    """
    raw = hashlib.sha1(secrets.token_bytes(32)).hexdigest()
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(current_app.secret_key, salt="wtf-csrf-token").dumps(raw)


def signed_in(app, user):
    """Return (test client, CSRF token) for a browser signed in as `user` (None: anonymous)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client, csrf_token_for(client)


def bearer(user) -> dict:
    """Headers of an API call as `user` (a new token each time), or anonymous."""
    headers = {"Accept": "application/json"}
    if user is not None:
        headers["Authorization"] = f"Bearer {issue_token(user.id)}"
    return headers


class Targets:
    """Build the objects a route acts on, all owned by the cast's owner.

    Each builder returns the URL parameters (and the extra ids some forms need)."""

    def __init__(self, make, cast):
        self.make, self.cast = make, cast

    @property
    def owner(self):
        return self.cast.user("owner")

    def none(self):
        return {}

    def question(self):
        """The owner's question, not answered yet (so its author may still delete it)."""
        return {"question_id": self.make.question(author=self.owner).id}

    def thread(self):
        """The owner's question, answered by the bystander."""
        found = self.question()
        answer = self.make.answer(db.session.get(Question, found["question_id"]), author=self.cast.bystander)
        return {**found, "answer_id": answer.id}

    def answer(self):
        """The owner's answer to the bystander's question (so the owner may not accept it)."""
        question = self.make.question(author=self.cast.bystander)
        answer = self.make.answer(question, author=self.owner)
        return {"answer_id": answer.id, "question_id": question.id}

    def accepted(self):
        """The owner's answer, accepted by the bystander who asked."""
        found = self.answer()
        self.make.accept(self.cast.bystander, _answer(found))
        return found

    def solved(self):
        """The owner's question, solved by the bystander's answer (the owner may rate it)."""
        found = self.thread()
        self.make.accept(self.owner, _answer(found))
        return found

    def idea(self):
        """The owner's idea, and the bystander's idea it could be merged into."""
        mine = ideas.post_idea(self.owner, "Dark mode for the app", "Please add a dark theme to the app.", [])
        theirs = ideas.post_idea(self.cast.bystander, "A night theme", "A darker look for the evening.", [])
        return {"idea_id": mine.id, "kept_id": theirs.id}

    def escalation(self):
        """The owner's question, escalated by the owner."""
        found = self.question()
        escalation = escalations.escalate(self.owner, found["question_id"], "Still not working")
        return {**found, "escalation_id": escalation.id, "staff_id": self.cast.user("staff").id}

    def verified(self):
        """The owner's answer, verified by staff."""
        found = self.answer()
        official.verify_answer(self.cast.user("staff"), found["answer_id"])
        return found

    def _members(self):
        return [self.cast.user(role) for role in ROLES if role != "anonymous"]

    def voted_idea(self):
        """The bystander's idea, voted for by every member of the cast (each owns a vote)."""
        idea = ideas.post_idea(self.cast.bystander, "A night theme", "A darker look for the evening.", [])
        for member in self._members():
            ideas.vote(member, idea.id)
        return {"idea_id": idea.id}

    def followed_idea(self):
        """The bystander's idea, followed by every member of the cast."""
        idea = ideas.post_idea(self.cast.bystander, "A night theme", "A darker look for the evening.", [])
        for member in self._members():
            ideas.follow(member, idea.id)
        return {"idea_id": idea.id}

    def voted_question(self):
        """The bystander's question, upvoted by every member of the cast."""
        question = self.make.question(author=self.cast.bystander)
        for member in self._members():
            self.make.vote(member, question)
        return {"question_id": question.id}

    def voted_answer(self):
        """The bystander's answer, upvoted by every member of the cast."""
        question = self.make.question(author=self.cast.bystander)
        answer = self.make.answer(question, author=self.cast.bystander)
        for member in self._members():
            self.make.vote(member, answer)
        return {"answer_id": answer.id, "question_id": question.id}

    def notified(self):
        """An unread notification for every member of the cast."""
        for member in self._members():
            notify(member, "rank_up", "/users/1", rank="member")
        db.session.commit()
        return {}

    def delivery(self):
        """A failed webhook delivery about the owner's escalation."""
        found = self.escalation()
        delivery = WebhookDelivery(event="escalation.created", escalation_id=found["escalation_id"],
                                   payload={"escalation_id": found["escalation_id"]}, status="failed", attempts=1)
        db.session.add(delivery)
        db.session.commit()
        return {**found, "delivery_id": delivery.id}


def _answer(found):
    return db.session.get(Answer, found["answer_id"])


@pytest.fixture
def targets(make, cast):
    return Targets(make, cast)
