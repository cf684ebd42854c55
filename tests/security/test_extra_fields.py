"""Mass assignment (issue 10): fields a member must not set (`role`, `points`, `author_id`,
`is_accepted`, `score` ...) sent along with a form or a JSON body are ignored or refused,
on every page and API route that creates or changes a member, a post, a vote, an idea or
an escalation."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from support.extensions import db
from support.models import Answer, Escalation, Idea, Question, User, Vote
from support.models.base import utcnow
from tests.factories import PASSWORD
from tests.figures import record

from .conftest import signed_in

LONG_AGO = "2001-02-03T04:05:06Z"
FAKE_ID = 987654


def extras(cast) -> dict:
    """Everything an attacker would like to set, pointing at someone else where it can."""
    victim = cast.bystander.id
    return {
        "role": "admin", "is_staff": True, "is_admin": True, "points": 99999, "session_version": 77,
        "id": FAKE_ID, "user_id": victim, "author_id": victim, "voter_id": victim, "editor_id": victim,
        "created_at": LONG_AGO, "accepted_at": LONG_AGO, "verified_at": LONG_AGO, "deleted_at": LONG_AGO,
        "is_accepted": True, "is_official": True, "accepted_answer_id": 1, "score": 1000, "votes": 1000,
        "answer_count": 50, "status": "resolved", "assignee_id": victim, "source": "staff",
        "email": "taken.over@example.com", "username": "takenover", "password_hash": "x",
        "merged_into_id": 1, "response": "Planned by staff", "version": 99,
    }


def as_form(values: dict) -> dict:
    """The extras as a browser would post them (strings)."""
    return {key: str(value).lower() if isinstance(value, bool) else str(value) for key, value in values.items()}


def recent(moment) -> bool:
    return moment is not None and utcnow() - moment < timedelta(minutes=5)


class Sender:
    """Send one request with the extras added, as a page (form + CSRF) or through the API."""

    def __init__(self, app, cast):
        self.app, self.cast, self.extra = app, cast, extras(cast)
        self.sent = 0

    def page(self, role, path, data, user=None):
        client, token = signed_in(self.app, user or self.cast.user(role) if role else None)
        self.sent += 1
        return client.post(path, data={**as_form(self.extra), **data, "csrf_token": token})

    def api(self, role, method, path, data):
        headers = self.cast.headers(role) if role else {"Accept": "application/json"}
        self.sent += 1
        return self.app.test_client().open(path, method=method, json={**self.extra, **data}, headers=headers)


def accepted(response) -> bool:
    """Carried out (2xx, or a page's redirect) rather than refused with 4xx."""
    return response.status_code < 400


def newest(model):
    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


@pytest.fixture
def send(app, cast, request):
    sender = Sender(app, cast)
    yield sender
    name = request.node.name.removeprefix("test_").replace("_", " ")
    record("mass_assignment", name, requests=sender.sent, fields=len(sender.extra))


def test_registering_cannot_choose_role_points_or_id(send, doctor):
    form = {"username": "joiner1", "email": "joiner1@example.com", "password": "a long pass phrase",
            "confirm": "a long pass phrase", "locale": "en"}
    responses = [send.page(None, "/register", form),
                 send.api(None, "POST", "/api/v1/auth/register", {**form, "username": "joiner2",
                                                                  "email": "joiner2@example.com"})]
    assert [accepted(r) for r in responses] == [True, True]
    for name in ("joiner1", "joiner2"):
        user = db.session.scalar(select(User).where(User.username == name))
        assert (user.role, user.is_staff, user.id != FAKE_ID) == ("member", False, True)
        assert user.session_version != 77
        assert user.points < 100 and recent(user.created_at)
        assert user.email == f"{name}@example.com"
    doctor()


def test_settings_and_preferences_cannot_change_role_points_or_identity(send, cast, doctor):
    member = cast.user("other")
    before = (member.role, member.points, member.email, member.username, member.session_version, member.password_hash)
    page = send.page("other", "/settings", {"display_name": "Renamed", "bio": "", "locale": "en",
                                            "contact_channel": "email", "phone": "", "followed_tags": ""})
    api = send.api("other", "PATCH", "/api/v1/me/preferences", {"locale": "it"})
    assert accepted(page) and accepted(api)
    db.session.refresh(member)
    assert (member.display_name, member.locale) == ("Renamed", "it")  # what was asked for happened
    assert (member.role, member.points, member.email, member.username, member.session_version,
            member.password_hash) == before
    doctor()


def test_posts_belong_to_their_writer_and_start_from_nothing(send, cast, targets, doctor):
    question_form = {"title": "How do I activate the new SIM card?", "tags": "sim",
                     "body": "The new SIM arrived but it does not activate; what should I do?"}
    thread = targets.question()
    made = []
    for response in (send.page("other", "/questions/ask", question_form),
                     send.api("other", "POST", "/api/v1/questions", {**question_form, "tags": ["sim"],
                                                                    "title": "How do I activate the eSIM?"})):
        assert accepted(response)
        made.append(newest(Question))
    for response in (send.page("other", f"/questions/{thread['question_id']}/answers",
                               {"body": "Restart the phone and wait a few minutes."}),
                     send.api("other", "POST", f"/api/v1/questions/{thread['question_id']}/answers",
                              {"body": "Restart the phone and wait ten minutes."})):
        assert accepted(response)
        made.append(newest(Answer))
    for post in made:
        assert post.author_id == cast.user("other").id and post.id != FAKE_ID
        assert post.score == 0 and post.deleted_at is None and recent(post.created_at)
    questions, answers = made[:2], made[2:]
    assert all(q.accepted_answer_id is None and q.answer_count == 0 and q.version != 99 for q in questions)
    assert all(a.accepted_at is None and a.verified_at is None and not a.is_official for a in answers)
    doctor()


def test_edits_change_the_text_only(send, cast, targets, doctor):
    question_id = targets.question()["question_id"]
    answer_id = targets.answer()["answer_id"]
    owner = cast.user("owner")
    edits = [
        send.page("owner", f"/questions/{question_id}/edit", {"title": "How do I activate my new SIM card?",
                                                             "body": "It arrived yesterday and does not activate.",
                                                             "tags": "sim", "summary": "clearer"}),
        send.api("owner", "PATCH", f"/api/v1/questions/{question_id}", {"title": "How do I activate my SIM now?"}),
        send.page("owner", f"/answers/{answer_id}/edit", {"body": "Restart the phone, then wait five minutes.",
                                                         "summary": "clearer"}),
        send.api("owner", "PATCH", f"/api/v1/answers/{answer_id}", {"body": "Restart, then wait ten minutes."}),
    ]
    assert all(accepted(r) for r in edits)
    question, answer = db.session.get(Question, question_id), db.session.get(Answer, answer_id)
    assert question.title == "How do I activate my SIM now?" and answer.body == "Restart, then wait ten minutes."
    assert (question.author_id, question.score, question.accepted_answer_id, question.deleted_at) == (
        owner.id, 0, None, None)
    assert (answer.author_id, answer.score, answer.accepted_at, answer.verified_at) == (owner.id, 0, None, None)
    assert recent(question.created_at) and recent(answer.created_at)
    doctor()


def test_a_vote_is_the_voters_own_and_worth_one(send, cast, targets, doctor):
    answer_id = targets.answer()["answer_id"]
    question_id = targets.question()["question_id"]
    responses = [send.page("other", f"/answers/{answer_id}/vote", {"value": "1"}),
                 send.api("other", "POST", f"/api/v1/questions/{question_id}/votes", {"value": 1})]
    assert all(accepted(r) for r in responses)
    votes = db.session.scalars(select(Vote)).all()
    assert sorted((v.voter_id, v.value) for v in votes) == [(cast.user("other").id, 1)] * 2
    assert db.session.get(Answer, answer_id).score == 1 and db.session.get(Question, question_id).score == 1
    doctor()


def test_ideas_start_new_with_no_votes(send, cast, doctor):
    idea = {"title": "Offline mode for the app", "body": "Let me read my answers without a connection.", "tags": "app"}
    assert accepted(send.page("other", "/ideas/new", idea))
    assert accepted(send.api("other", "POST", "/api/v1/ideas", {**idea, "title": "An offline mode", "tags": ["app"]}))
    for found in db.session.scalars(select(Idea)).all():
        assert (found.author_id, found.status, found.votes, found.merged_into_id, found.response) == (
            cast.user("other").id, "new", 0, None, None)
        assert found.id != FAKE_ID and recent(found.created_at)
    doctor()


def test_an_escalation_opens_unassigned_with_its_own_deadline(send, cast, targets, doctor):
    first, second = targets.question()["question_id"], targets.question()["question_id"]
    assert accepted(send.page("owner", f"/questions/{first}/escalate", {"reason": "Still broken"}))
    assert accepted(send.api("owner", "POST", f"/api/v1/questions/{second}/escalate", {"reason": "Still broken"}))
    found = db.session.scalars(select(Escalation).order_by(Escalation.id)).all()
    assert [e.question_id for e in found] == [first, second]
    for escalation in found:
        assert (escalation.status, escalation.source, escalation.assignee_id, escalation.resolved_at) == (
            "open", "asker", None, None)
        assert escalation.created_by_id == cast.user("owner").id and recent(escalation.created_at)
        assert escalation.sla_due_at > utcnow()
    doctor()


def test_signing_in_ignores_extra_fields_too(send, cast, doctor):
    """A sign-in carrying `role=admin` signs in the member as they are."""
    response = send.api(None, "POST", "/api/v1/auth/token", {"username": "other", "password": PASSWORD})
    assert response.status_code == 200
    assert response.get_json()["user"]["role"] == "member"
    doctor()
