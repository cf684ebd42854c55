"""Parallel clicks on "I still need help" and "take": one escalation, one owner (SQLite and PostgreSQL)."""

from support.errors import Conflict
from support.extensions import db
from support.models import Escalation, EscalationEvent, Question, User
from support.services import escalations

from .service_helpers import count, escalations_of, run_parallel


def test_twenty_parallel_escalations_of_one_question_open_exactly_one(app, make, doctor):
    asker = make.user()
    staff_ids = [make.staff().id for _ in range(3)]
    question_id = make.question(author=asker).id
    actor_ids = [asker.id if i % 2 else staff_ids[i % 3] for i in range(20)]
    outcomes = []

    def click(actor_id):
        def job():
            try:
                escalations.escalate(db.session.get(User, actor_id), question_id, "Aiuto!")
                outcomes.append("opened")
            except Conflict:
                outcomes.append("conflict")
        return job

    assert run_parallel(app, [click(a) for a in actor_ids]) == []
    assert sorted(outcomes) == ["conflict"] * 19 + ["opened"]
    (escalation,) = escalations_of(question_id)
    assert escalation.status == "open"
    assert db.session.get(Question, question_id).is_escalated is True
    assert count(EscalationEvent, EscalationEvent.escalation_id == escalation.id) == 1
    doctor()


def test_staff_taking_one_escalation_in_parallel_leaves_one_owner(app, make, doctor):
    staff_ids = [make.staff().id for _ in range(6)]
    escalation_ids = []
    for _ in range(3):
        question = make.question()
        escalation_ids.append(escalations.escalate(question.author, question.id).id)

    for escalation_id in escalation_ids:
        outcomes = {}

        def take(staff_id, escalation_id=escalation_id, outcomes=outcomes):
            def job():
                try:
                    escalations.take(db.session.get(User, staff_id), escalation_id)
                    outcomes[staff_id] = "took"
                except Conflict:
                    outcomes[staff_id] = "conflict"
            return job

        assert run_parallel(app, [take(s) for s in staff_ids]) == []
        winners = [s for s, outcome in outcomes.items() if outcome == "took"]
        assert len(winners) == 1 and len(outcomes) == len(staff_ids)
        escalation = db.session.get(Escalation, escalation_id)
        assert (escalation.status, escalation.assignee_id) == ("assigned", winners[0])
        assigned = count(EscalationEvent, EscalationEvent.escalation_id == escalation_id,
                         EscalationEvent.kind == "assigned")
        assert assigned == 1  # nobody's "take" silently moved it on
    doctor()
