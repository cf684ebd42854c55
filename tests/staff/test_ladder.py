"""The escalation ladder with frozen time: experts after T1, staff after T2, once and only once."""

from datetime import timedelta

import pytest

from gamification.models import BadgeAward
from support.extensions import db
from support.ladder import sla_tick
from support.models import Escalation, LadderStep, Question
from support.models.base import clock_at
from support.services import escalations
from support.sla import save_ladder_settings

from .service_helpers import T0, clear_outgoing, count, escalations_of, notifications, outgoing, run_parallel

MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
NOTHING = {"offered": 0, "escalated": 0}


def ask(make, at=T0, **kw):
    with clock_at(at):
        return make.question(**kw)


def tick(at):
    with clock_at(at):
        return sla_tick()


def badge(user, tag_name):
    db.session.add(BadgeAward(user_id=user.id, badge="tag_helper", tag_key=len(tag_name), tag_name=tag_name))
    db.session.commit()


def offered_to(question_id) -> set[int]:
    from support.models import Notification

    db.session.rollback()
    rows = db.session.scalars(
        db.select(Notification).where(Notification.kind == "expert_offer",
                                      Notification.url == f"/questions/{question_id}")
    ).all()
    return {n.user_id for n in rows}


def test_an_unanswered_question_is_offered_to_the_experts_once_after_t1(app, make):
    clear_outgoing()
    asker = make.user(points=3000)  # an expert, but it is their own question
    expert = make.user(points=2100, contact_channel="email")
    sim_badge = make.user(points=5)
    badge(sim_badge, "sim")
    roaming_badge = make.user(points=5)
    badge(roaming_badge, "roaming")
    ordinary = make.user(points=400)
    staff = make.staff(points=3000)
    question = ask(make, author=asker, tags=("sim",))

    assert tick(T0 + 29 * MIN) == NOTHING
    assert offered_to(question.id) == set()

    assert tick(T0 + 31 * MIN) == {"offered": 1, "escalated": 0}
    assert offered_to(question.id) == {expert.id, sim_badge.id}
    for user in (asker, roaming_badge, ordinary, staff):
        assert notifications(user.id, "expert_offer") == []
    note = notifications(expert.id, "expert_offer")[0]
    assert note.params["title"] == question.title
    # The expert chose email: the offer went out once, with the question's address.
    emails = [m for m in outgoing() if m["to"] == expert.email]
    assert len(emails) == 1 and question.title in emails[0]["text"]
    assert emails[0]["text"].endswith(f"/questions/{question.id}")

    assert tick(T0 + 40 * MIN) == NOTHING
    assert len(notifications(expert.id, "expert_offer")) == 1
    assert len([m for m in outgoing() if m["to"] == expert.email]) == 1


def test_an_answered_question_is_never_offered_to_experts(app, make):
    expert = make.user(points=2100)
    question = ask(make, tags=("sim",))
    with clock_at(T0 + 5 * MIN):
        make.answer(question)
    assert tick(T0 + 31 * MIN) == NOTHING
    assert tick(T0 + 3 * HOUR) == NOTHING
    assert notifications(expert.id, "expert_offer") == []


def test_an_unsolved_question_goes_to_staff_after_t2_exactly_once(app, make, doctor):
    unanswered = ask(make)
    answered = ask(make)
    solved = ask(make)
    with clock_at(T0 + 2 * HOUR):
        make.answer(answered)
        make.accept(solved.author, make.answer(solved))

    tick(T0 + 31 * MIN)
    assert tick(T0 + 23 * HOUR + 59 * MIN)["escalated"] == 0
    assert count(Escalation) == 0

    moment = T0 + 24 * HOUR + MIN
    assert tick(moment)["escalated"] == 2
    for question in (unanswered, answered):
        (escalation,) = escalations_of(question.id)
        assert (escalation.source, escalation.status, escalation.created_by_id) == ("sla", "open", None)
        assert escalation.sla_due_at == moment + 8 * HOUR
        assert db.session.get(Question, question.id).status == "escalated"
        # The asker hears that staff have it (they did not ask for it themselves).
        assert len(notifications(question.author_id, "escalation_opened")) == 1
    assert escalations_of(solved.id) == []
    assert db.session.get(Question, solved.id).status == "solved"

    assert tick(moment + MIN) == NOTHING
    assert tick(moment + 3 * HOUR) == NOTHING
    assert count(Escalation) == 2
    doctor()


def test_a_question_the_asker_escalated_is_not_escalated_again_nor_reopened_after_staff_resolve_it(app, make, doctor):
    question = ask(make)
    staff = make.staff()
    with clock_at(T0 + HOUR):
        mine = escalations.escalate(question.author, question.id, "Nessuno risponde")
    assert tick(T0 + 25 * HOUR)["escalated"] == 0
    assert [e.source for e in escalations_of(question.id)] == ["asker"]

    with clock_at(T0 + 26 * HOUR):
        escalations.resolve(staff, mine.id, "outside")
    assert tick(T0 + 27 * HOUR) == NOTHING
    assert tick(T0 + 5 * 24 * HOUR) == NOTHING
    assert [e.status for e in escalations_of(question.id)] == ["resolved"]
    assert db.session.get(Question, question.id).is_escalated is False
    doctor()


def test_questions_older_than_the_window_are_left_alone(app, make):
    expert = make.user(points=2100)
    old = ask(make, at=T0 - timedelta(days=15))
    recent = ask(make, at=T0 - timedelta(days=13))
    assert tick(T0) == {"offered": 1, "escalated": 1}
    assert escalations_of(old.id) == []
    assert offered_to(old.id) == set()
    assert len(escalations_of(recent.id)) == 1
    assert offered_to(recent.id) == {expert.id}
    assert count(LadderStep, LadderStep.question_id == old.id) == 0


def test_the_times_an_admin_sets_are_honoured(app, make):
    admin = make.user(role="admin")
    save_ladder_settings(admin, {"expert_minutes": 5, "escalate_hours": 2, "sla_hours": 4, "window_days": 3})
    make.user(points=2100)
    question = ask(make)
    too_old = ask(make, at=T0 - timedelta(days=4))

    assert tick(T0 + 4 * MIN) == NOTHING
    assert tick(T0 + 6 * MIN) == {"offered": 1, "escalated": 0}
    assert tick(T0 + HOUR + 59 * MIN) == NOTHING
    assert tick(T0 + 2 * HOUR + MIN) == {"offered": 0, "escalated": 1}
    (escalation,) = escalations_of(question.id)
    assert escalation.sla_due_at == T0 + 2 * HOUR + MIN + 4 * HOUR
    assert escalations_of(too_old.id) == []


def test_the_sla_tick_command_prints_its_counts_and_a_second_run_changes_nothing(app, make):
    make.user(points=2100)
    question_id = ask(make).id
    runner = app.test_cli_runner()
    with clock_at(T0 + 25 * HOUR):
        first = runner.invoke(args=["support", "sla-tick"])
        second = runner.invoke(args=["support", "sla-tick"])
    assert first.exit_code == 0, first.output
    assert "1 offered to experts, 1 escalated to staff" in first.output
    assert second.exit_code == 0, second.output
    assert "0 offered to experts, 0 escalated to staff" in second.output
    assert len(escalations_of(question_id)) == 1


def test_two_ticks_at_once_escalate_once(app, make, doctor):
    expert = make.user(points=2100)
    question = ask(make)
    results = []

    def job():
        with clock_at(T0 + 25 * HOUR):
            results.append(sla_tick())

    assert run_parallel(app, [job, job]) == []
    assert sorted(r["escalated"] for r in results) == [0, 1]
    assert sorted(r["offered"] for r in results) == [0, 1]
    assert len(escalations_of(question.id)) == 1
    assert len(notifications(expert.id, "expert_offer")) == 1
    doctor()


def test_only_an_admin_changes_the_times_and_experts_come_before_staff(app, make):
    from support.errors import Forbidden, Invalid
    from support.sla import ladder_settings

    admin = make.user(role="admin")
    with pytest.raises(Forbidden):
        save_ladder_settings(make.staff(), {"expert_minutes": 10})
    for bad in ({"expert_minutes": 120, "escalate_hours": 2}, {"sla_hours": 0}, {"window_days": True},
                {"escalate_hours": "24"}):
        with pytest.raises(Invalid):
            save_ladder_settings(admin, bad)
    assert ladder_settings() == {"expert_minutes": 30, "escalate_hours": 24, "sla_hours": 8, "window_days": 14}
