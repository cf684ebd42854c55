"""The doctor's I5 escalation check: clean on real data, loud on broken data; the index refuses a second open one."""

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from support.doctor import run_checks
from support.extensions import db
from support.models import Escalation, Question
from support.models.base import utcnow
from support.services import escalations

CHECK = "I5 at most one open escalation per thread; the thread's flag agrees"


def problems() -> list[str]:
    return dict(run_checks())[CHECK]


def test_real_escalation_histories_pass(app, make, doctor):
    staff = make.staff()
    question = make.question()
    first = escalations.escalate(question.author, question.id)
    escalations.take(staff, first.id)
    escalations.resolve(staff, first.id, "outside")
    escalations.escalate(staff, question.id)
    other = make.question()
    escalations.escalate(other.author, other.id)
    assert problems() == []
    doctor()


def test_an_open_escalation_on_a_thread_not_marked_escalated_is_reported(app, make):
    question = make.question()
    escalations.escalate(question.author, question.id)
    db.session.execute(update(Question).where(Question.id == question.id).values(is_escalated=False))
    db.session.commit()
    assert problems() == [f"question {question.id} has an open escalation but is not marked escalated"]


def test_a_thread_marked_escalated_without_an_open_escalation_is_reported(app, make):
    question = make.question()
    db.session.execute(update(Question).where(Question.id == question.id).values(is_escalated=True))
    db.session.commit()
    assert problems() == [f"question {question.id} is marked escalated but has no open escalation"]


def test_an_owner_that_does_not_match_the_status_is_reported(app, make):
    staff = make.staff()
    question = make.question()
    escalation = escalations.escalate(question.author, question.id)
    db.session.execute(update(Escalation).where(Escalation.id == escalation.id).values(status="assigned"))
    db.session.commit()
    assert problems() == [f"escalation {escalation.id} is assigned but its owner does not match"]
    db.session.execute(
        update(Escalation).where(Escalation.id == escalation.id).values(status="open", assignee_id=staff.id)
    )
    db.session.commit()
    assert problems() == [f"escalation {escalation.id} is open but its owner does not match"]


def test_the_database_refuses_a_second_open_escalation_even_bypassing_the_service(app, make):
    staff = make.staff()
    question = make.question()
    escalations.escalate(question.author, question.id)
    now = utcnow()
    db.session.add(Escalation(question_id=question.id, status="assigned", source="staff", sla_due_at=now))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Resolved ones are history: any number of them may sit beside the open one.
    for _ in range(2):
        db.session.add(Escalation(question_id=question.id, status="resolved", source="staff", sla_due_at=now,
                                  resolved_at=now, assignee_id=staff.id))
    db.session.commit()
    assert problems() == []
