"""Escalations follow the thread: solved threads, removed threads, acceptance by staff."""

import pytest

from support.errors import Conflict
from support.services import escalations, posts
from support.services.accept import accept_answer
from support.services.csat import pending_subject

from .service_helpers import escalations_of, notifications


def test_an_asker_cannot_escalate_a_solved_question_but_staff_can(app, make, doctor):
    asker, staff = make.user(), make.staff()
    question = make.question(author=asker)
    make.accept(asker, make.answer(question))
    with pytest.raises(Conflict, match="marked as solved"):
        escalations.escalate(asker, question.id, "non ha funzionato")
    assert escalations_of(question.id) == []

    escalation = escalations.escalate(staff, question.id, "Controllo io")
    assert escalation.source == "staff"
    doctor()


def test_after_withdrawing_the_acceptance_the_asker_can_ask_support(app, make):
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question)
    make.accept(asker, answer)
    from support.services.accept import unaccept_answer

    unaccept_answer(asker, answer.id)
    assert escalations.escalate(asker, question.id, "Alla fine non ha funzionato").status == "open"


def test_the_asker_cannot_remove_an_escalated_question(app, make):
    asker = make.user()
    question = make.question(author=asker)
    escalations.escalate(asker, question.id, "")
    with pytest.raises(Conflict, match="support team"):
        posts.delete_question(asker, question.id)
    assert posts.get_question(question.id).is_escalated


def test_staff_removing_an_escalated_thread_resolve_its_escalation(app, make, doctor):
    asker, staff = make.user(), make.staff()
    question = make.question(author=asker)
    escalation = escalations.escalate(asker, question.id, "")
    posts.delete_question(staff, question.id)

    (closed,) = escalations_of(question.id)
    assert (closed.id, closed.status, closed.resolution, closed.assignee_id) == (escalation.id, "resolved", "outside", staff.id)
    doctor()


def test_staff_accepting_for_the_asker_ask_the_asker_how_it_went(app, make):
    asker, staff = make.user(), make.staff()
    question = make.question(author=asker)
    accept_answer(staff, make.answer(question).id)

    (request,) = notifications(asker.id, "csat_request")
    assert request.url == f"/questions/{question.id}#csat"
    assert pending_subject(asker, posts.get_question(question.id)) == f"question:{question.id}"


def test_an_asker_who_accepts_is_not_notified_of_their_own_act(app, make):
    asker = make.user()
    question = make.question(author=asker)
    make.accept(asker, make.answer(question))
    assert notifications(asker.id, "csat_request") == []
