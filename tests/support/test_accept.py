"""Accepting the answer that solved a question: one accepted answer at most, moved, withdrawn."""

import pytest

from support import events
from support.errors import Conflict, Forbidden, NotFound
from support.extensions import db
from support.models import Answer, Question
from support.services import posts
from support.services.accept import accept_answer, unaccept_answer


@pytest.fixture
def thread(make):
    asker = make.user()
    question = make.question(author=asker)
    return asker, question, make.answer(question), make.answer(question)


def accepted(question_id):
    db.session.expire_all()
    question = db.session.get(Question, question_id)
    flagged = [a.id for a in question.answers if a.accepted_at is not None]
    return question.accepted_answer_id, flagged


def test_asker_accepts_an_answer(thread, doctor):
    asker, question, first, _ = thread
    result = accept_answer(asker, first.id)
    assert result.id == first.id and result.is_accepted
    assert accepted(question.id) == (first.id, [first.id])
    assert db.session.get(Question, question.id).status == "solved"
    doctor()


def test_accepting_another_answer_moves_the_acceptance(thread, doctor):
    asker, question, first, second = thread
    accept_answer(asker, first.id)
    accept_answer(asker, second.id)
    assert accepted(question.id) == (second.id, [second.id])
    doctor()


def test_accepting_the_same_answer_again_changes_nothing(thread, doctor):
    asker, question, first, _ = thread
    seen = []
    receiver = lambda sender, **kw: seen.append(kw["answer"].id)  # noqa: E731
    events.answer_accepted.connect(receiver)
    try:
        accept_answer(asker, first.id)
        accept_answer(asker, first.id)
    finally:
        events.answer_accepted.disconnect(receiver)
    assert seen == [first.id]
    assert accepted(question.id) == (first.id, [first.id])
    doctor()


def test_moving_sends_unaccepted_then_accepted(thread):
    asker, _, first, second = thread
    accept_answer(asker, first.id)
    seen = []
    on_accept = lambda sender, **kw: seen.append(("accepted", kw["answer"].id))  # noqa: E731
    on_unaccept = lambda sender, **kw: seen.append(("unaccepted", kw["answer"].id))  # noqa: E731
    events.answer_accepted.connect(on_accept)
    events.answer_unaccepted.connect(on_unaccept)
    try:
        accept_answer(asker, second.id)
    finally:
        events.answer_accepted.disconnect(on_accept)
        events.answer_unaccepted.disconnect(on_unaccept)
    assert seen == [("unaccepted", first.id), ("accepted", second.id)]


def test_unaccept_withdraws(thread, doctor):
    asker, question, first, _ = thread
    accept_answer(asker, first.id)
    unaccept_answer(asker, first.id)
    assert accepted(question.id) == (None, [])
    assert db.session.get(Question, question.id).status == "answered"
    doctor()


def test_unaccepting_an_answer_that_is_not_accepted_is_a_conflict(thread):
    asker, question, first, second = thread
    with pytest.raises(Conflict):
        unaccept_answer(asker, first.id)
    accept_answer(asker, first.id)
    with pytest.raises(Conflict):
        unaccept_answer(asker, second.id)
    assert accepted(question.id) == (first.id, [first.id])


def test_staff_may_accept_and_withdraw_on_any_question(make, thread, doctor):
    _, question, first, second = thread
    staff = make.staff()
    accept_answer(staff, first.id)
    accept_answer(staff, second.id)
    unaccept_answer(staff, second.id)
    assert accepted(question.id) == (None, [])
    doctor()


@pytest.mark.parametrize("who", ["member", "helper", "champion", "answerer"])
def test_nobody_else_may_accept_or_withdraw(make, thread, who):
    asker, question, first, second = thread
    accept_answer(asker, first.id)
    person = {"member": lambda: make.user(points=15), "helper": lambda: make.user(points=500),
              "champion": lambda: make.user(points=5000), "answerer": lambda: second.author}[who]()
    with pytest.raises(Forbidden, match="Only the person who asked"):
        accept_answer(person, second.id)
    with pytest.raises(Forbidden):
        unaccept_answer(person, first.id)
    assert accepted(question.id) == (first.id, [first.id])


def test_deleting_the_accepted_answer_clears_the_acceptance(thread, doctor):
    asker, question, first, second = thread
    accept_answer(asker, first.id)
    posts.delete_answer(first.author, first.id)
    assert accepted(question.id) == (None, [])
    question = db.session.get(Question, question.id)
    assert question.answer_count == 1 and question.status == "answered"
    doctor()


def test_deleting_another_answer_keeps_the_acceptance(thread, doctor):
    asker, question, first, second = thread
    accept_answer(asker, first.id)
    posts.delete_answer(second.author, second.id)
    assert accepted(question.id) == (first.id, [first.id])
    doctor()


def test_a_deleted_answer_cannot_be_accepted(thread):
    asker, _, first, _ = thread
    posts.delete_answer(first.author, first.id)
    with pytest.raises(NotFound):
        accept_answer(asker, first.id)


@pytest.mark.parametrize("answer_id", [0, 424242, 2**40, None, "1"])
def test_accepting_a_missing_answer(make, thread, answer_id):
    asker = thread[0]
    with pytest.raises(NotFound):
        accept_answer(asker, answer_id)


def test_an_answer_of_another_question_cannot_be_accepted_by_this_asker(make, thread):
    asker = thread[0]
    elsewhere = make.answer(make.question())
    with pytest.raises(Forbidden):
        accept_answer(asker, elsewhere.id)
    assert db.session.get(Answer, elsewhere.id).accepted_at is None
