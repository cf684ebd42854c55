"""The demo community: what a person trying Passaparola for the first time would notice."""

from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from support.extensions import db
from support.language import detect_language
from support.models import (
    Answer,
    Comment,
    CsatResponse,
    Escalation,
    EscalationEvent,
    LadderStep,
    Notification,
    Question,
    StaffNote,
    User,
    Vote,
)
from support.models.base import utcnow
from support.outbox import pending_count
from support.queries import question_list
from support.seed import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from support.ladder import sla_tick
from support.seed.people import STAFF, STAFF_EN, TOP_CONTRIBUTORS
from support.seed.plan import build_plan
from support.services.accounts import authenticate, check_password_strength


def _texts(plan):
    """Yield (intended language, text the services will detect the language of) per post."""
    language = {("q", t.index): t.lang for t in plan.threads}
    language.update({("a", a.index): t.lang for t in plan.threads for a in t.answers})
    for step in plan.steps:
        if step.kind == "ask":
            yield language[step.ref], f"{step.title}\n{step.body}"
        elif step.kind == "answer":
            yield language[step.ref], step.body


def test_plan_is_repeatable_and_reads_in_its_own_language():
    plan = build_plan(questions=80, seed=7)
    again = build_plan(questions=80, seed=7)
    assert [(s.kind, s.actor, s.title, s.body, s.value) for s in plan.steps] == \
        [(s.kind, s.actor, s.title, s.body, s.value) for s in again.steps]
    other = build_plan(questions=80, seed=8)
    assert [s.title for s in other.steps if s.kind == "ask"] != [s.title for s in plan.steps if s.kind == "ask"]
    wrong = [(lang, text[:80]) for lang, text in _texts(plan) if detect_language(text, fallback="?") != lang]
    assert not wrong
    titles = [s.title for s in plan.steps if s.kind == "ask"]
    assert len(set(titles)) == len(titles)
    assert "{" not in "".join(s.title + s.body for s in plan.steps)  # every slot filled


@pytest.mark.slow
def test_demo_community_reads_like_a_real_one(app, doctor):
    summary = seed_demo(questions=40, seed=7)
    assert summary.startswith("Seeded 40 questions"), summary
    questions = db.session.scalars(select(Question)).all()
    languages = [q.language for q in questions]
    assert set(languages) == {"it", "en"}
    assert 0.2 <= languages.count("en") / len(languages) <= 0.4
    assert {"open", "answered", "solved"} <= {q.status for q in questions}
    assert any(q.answer_count >= 3 for q in questions)
    assert db.session.scalar(select(func.count()).select_from(Comment)) > 0
    assert db.session.scalar(select(func.count()).where(Vote.value == -1)) > 0

    # Staff answers are official, and only theirs.
    by_staff = db.session.execute(
        select(Answer.is_official, User.role.in_(("staff", "admin"))).join(User, Answer.author_id == User.id)
    ).all()
    assert any(official for official, _staff in by_staff)
    assert all(official == staff for official, staff in by_staff)

    # The busiest answerer is a top contributor.
    busiest = db.session.scalar(
        select(User.username).join(Answer, Answer.author_id == User.id).where(User.role == "member")
        .group_by(User.username).order_by(func.count().desc()).limit(1)
    )
    assert busiest in TOP_CONTRIBUTORS

    # Three months of history, in order: answers after questions, acceptance after answers.
    now = utcnow()
    created = [q.created_at for q in questions]
    assert max(created) < now and min(created) > now - timedelta(days=91)
    assert max(created) - min(created) > timedelta(days=30)
    asked = aliased(Question)
    early = select(func.count()).select_from(Answer).join(asked, asked.id == Answer.question_id)
    assert db.session.scalar(early.where(Answer.created_at <= asked.created_at)) == 0
    assert db.session.scalar(select(func.count()).where(Answer.accepted_at < Answer.created_at)) == 0

    # A reading history for the deflection report: views of solved threads only count
    # after their acceptance, insiders are marked, and some readers answered the prompts.
    from support.models import ContactFeedback, SolvedFeedback, ThreadView

    assert db.session.scalar(select(func.count()).select_from(ThreadView)) > 500
    accepted = aliased(Answer)
    solved_too_early = (select(func.count()).select_from(ThreadView)
                        .join(accepted, accepted.id == ThreadView.accepted_answer_id)
                        .where(ThreadView.viewed_at < accepted.accepted_at))
    assert db.session.scalar(solved_too_early) == 0
    assert db.session.scalar(select(func.count()).where(ThreadView.viewer_role == "author")) > 0
    assert db.session.scalar(select(func.count()).select_from(SolvedFeedback)) > 0
    assert {s for (s,) in db.session.execute(select(ContactFeedback.source).distinct())} == {"reader", "asker"}

    # An ideas board where the company answered: every status but "new" carries a response,
    # one duplicate was merged, and the delivered ideas earned their authors the points.
    from gamification.models import PointsEntry
    from support.models import Idea

    board = db.session.scalars(select(Idea)).all()
    assert {i.status for i in board} >= {"new", "under_review", "planned", "in_progress", "delivered", "declined"}
    assert all(i.response for i in board if i.status != "new")
    assert sum(i.merged_into_id is not None for i in board) == 1
    delivered = sum(i.status == "delivered" for i in board)
    assert db.session.scalar(select(func.count()).where(PointsEntry.reason == "idea_delivered")) == delivered
    doctor()


@pytest.mark.slow
def test_demo_logins_pages_and_a_second_seed(app, client, doctor):
    assert seed_demo(questions=15).startswith("Seeded 15 questions")
    # The settings switched off while seeding are back, and every side effect has run.
    assert app.config["OUTBOX_INLINE"] is True and app.config["RATELIMIT_ENABLED"] is False
    assert pending_count() == 0

    check_password_strength(DEMO_PASSWORD)
    roles = {role for role, _username, _password in DEMO_LOGINS}
    assert {"admin", "staff", "top", "member"} <= roles
    for role, username, password in DEMO_LOGINS:
        user = authenticate(username, password)
        assert user is not None, username
        assert user.is_admin == (role == "admin")
        assert user.is_staff == (role in ("admin", "staff"))

    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for question in db.session.scalars(question_list(sort="active").limit(5)):
        assert str(escape(question.title)) in html

    members = db.session.scalar(select(func.count()).select_from(User))
    again = seed_demo(questions=5)
    assert again.startswith("Not seeded") and "already" in again
    assert db.session.scalar(select(func.count()).select_from(User)) == members
    assert db.session.scalar(select(func.count()).select_from(Question)) == 15
    doctor()


@pytest.mark.slow
def test_seed_demo_command(app, doctor):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--questions", "20"])
    assert result.exit_code == 0, result.output
    assert "Seeded 20 questions" in result.output
    assert db.session.scalar(select(func.count()).select_from(Question)) == 20
    doctor()


@pytest.mark.slow
def test_demo_community_has_a_working_support_desk(app, client, doctor):
    """Escalations in every state, private notes, verified answers, CSAT over the weeks, preferences."""
    summary = seed_demo(questions=120, seed=7)
    assert "escalations" in summary and "CSAT responses" in summary, summary
    now = utcnow()
    escalations = db.session.scalars(select(Escalation)).all()
    states = {e.status for e in escalations}
    assert states == {"open", "assigned", "resolved"}
    waiting = [e for e in escalations if e.status == "open"]
    assert any(e.breached(now) for e in waiting) and any(not e.breached(now) for e in waiting)
    staff = {u.username: u.id for u in db.session.scalars(select(User).where(User.username.in_((STAFF, STAFF_EN))))}
    assert {e.assignee_id for e in escalations if e.status == "assigned"} >= set(staff.values())
    assert {e.resolution for e in escalations if e.status == "resolved"} == {"community_answer", "staff_answer", "outside"}
    assert {e.source for e in escalations} >= {"asker", "sla"}
    # Timelines in order: opened before assigned before resolved, all in the past.
    for e in escalations:
        assert e.question.created_at < e.created_at < now
        assert e.sla_due_at > e.created_at
        if e.assigned_at:
            assert e.created_at <= e.assigned_at <= (e.resolved_at or now)
    events = db.session.scalar(select(func.count()).select_from(EscalationEvent))
    assert events >= 2 * len(escalations)

    notes = db.session.scalars(select(StaffNote)).all()
    assert len(notes) >= len(escalations)
    assert all(n.author.is_staff for n in notes)
    assert db.session.scalar(select(func.count()).where(Answer.verified_at.is_not(None), Answer.is_official.is_(False))) > 0

    responses = db.session.scalars(select(CsatResponse)).all()
    assert len(responses) >= 20
    assert sum(r.score >= 3 for r in responses) / len(responses) > 0.75
    assert any(r.comment for r in responses) and any(r.escalation_id for r in responses)
    weeks = {(now - r.created_at).days // 7 for r in responses}
    assert len(weeks) >= 8 and max(weeks) <= 12
    for r in responses:  # rated by the asker, after the thread was asked
        question = db.session.get(Question, r.question_id)
        assert r.user_id == question.author_id
        assert question.created_at < r.created_at < now

    channels = dict(db.session.execute(select(User.contact_channel, func.count()).group_by(User.contact_channel)).all())
    assert channels.get("email") and channels.get("sms")
    assert db.session.scalar(select(func.count()).where(User.contact_channel == "sms", User.phone.is_(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) > 0
    assert db.session.scalar(select(func.count()).where(Notification.sent_at.is_(None))) == 0
    doctor()

    # The first tick after seeding finds little to do: the seed's history has passed the ladder.
    assert db.session.scalar(select(func.count()).select_from(LadderStep)) > 0
    result = sla_tick()
    assert result["escalated"] <= 3 and result["offered"] <= 3, result
    doctor()

    # A member who follows tags sees them first on the home page.
    member = db.session.scalar(select(User).where(User.username == "chiara.rinaldi"))
    client.login_as(member)
    page = client.get("/").get_data(as_text=True)
    assert 'class="tag tag-followed"' in page
