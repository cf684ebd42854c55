"""CSAT: asked once of the asker after a solution or a resolved escalation; figures per week, tag and staff."""

from datetime import timedelta

import pytest

from support.errors import Conflict, Forbidden, Invalid
from support.extensions import db
from support.models import Question
from support.models.base import clock_at
from support.services import csat, escalations

from .service_helpers import T0

DAY = timedelta(days=1)


def fresh(question_id):
    db.session.rollback()
    return db.session.get(Question, question_id)


def test_the_asker_rates_a_community_solution_once(app, make):
    asker, other = make.user(), make.user()
    question = make.question(author=asker)
    answer = make.answer(question)
    assert csat.pending_subject(asker, fresh(question.id)) is None  # nothing solved yet
    with pytest.raises(Conflict):
        csat.record(asker, question.id, 5)

    make.accept(asker, answer)
    assert csat.pending_subject(asker, fresh(question.id)) == f"question:{question.id}"
    assert csat.pending_subject(other, fresh(question.id)) is None

    response = csat.record(asker, question.id, 4, "  Veloce e chiaro  ")
    assert (response.score, response.comment, response.subject) == (4, "Veloce e chiaro", f"question:{question.id}")
    assert (response.escalation_id, response.staff_id) == (None, None)
    assert csat.pending_subject(asker, fresh(question.id)) is None
    with pytest.raises(Conflict):
        csat.record(asker, question.id, 5)


def test_only_the_asker_may_rate(app, make):
    asker = make.user()
    question = make.question(author=asker)
    make.accept(asker, make.answer(question))
    for stranger in (make.user(), make.staff()):
        with pytest.raises(Forbidden):
            csat.record(stranger, question.id, 5)
    assert csat.pending_subject(asker, fresh(question.id)) == f"question:{question.id}"


@pytest.mark.parametrize("score", [0, 6, -1, "5", 4.5, True, None])
def test_a_score_outside_one_to_five_is_refused(app, make, score):
    asker = make.user()
    question = make.question(author=asker)
    make.accept(asker, make.answer(question))
    with pytest.raises(Invalid):
        csat.record(asker, question.id, score)
    assert csat.pending_subject(asker, fresh(question.id)) == f"question:{question.id}"


def test_a_resolved_escalation_is_rated_with_its_owner(app, make):
    asker, staff = make.user(), make.staff()
    question = make.question(author=asker)
    escalation = escalations.escalate(asker, question.id)
    assert csat.pending_subject(asker, fresh(question.id)) is None  # still with staff
    escalations.take(staff, escalation.id)
    escalations.resolve(staff, escalation.id, "outside")
    assert csat.pending_subject(asker, fresh(question.id)) == f"escalation:{escalation.id}"

    response = csat.record(asker, question.id, 2)
    assert (response.escalation_id, response.staff_id) == (escalation.id, staff.id)
    with pytest.raises(Conflict):
        csat.record(asker, question.id, 3)

    # Help needed again: the next resolution is a new experience, rated on its own.
    again = escalations.escalate(asker, question.id, "Di nuovo senza linea")
    assert csat.pending_subject(asker, fresh(question.id)) is None
    escalations.resolve(staff, again.id, "staff_answer")
    assert csat.pending_subject(asker, fresh(question.id)) == f"escalation:{again.id}"


def _solved_by_community(make, tags):
    asker = make.user()
    question = make.question(author=asker, tags=tags)
    make.accept(asker, make.answer(question))
    return asker, question


def _resolved_by(make, staff, tags, take=True):
    asker = make.user()
    question = make.question(author=asker, tags=tags)
    escalation = escalations.escalate(asker, question.id)
    if take:
        escalations.take(staff, escalation.id)
    escalations.resolve(staff, escalation.id, "outside")
    return asker, question


def _rate(asker, question, score, at):
    with clock_at(at):
        csat.record(asker, question.id, score)


def test_figures_per_week_tag_staff_and_overall(app, make):
    anna, bruno = make.staff(username="anna"), make.staff(username="bruno")
    _rate(*_solved_by_community(make, ("sim",)), 5, T0 + DAY)
    _rate(*_resolved_by(make, anna, ("sim", "roaming")), 4, T0 + 2 * DAY)
    _rate(*_resolved_by(make, bruno, ("roaming",), take=False), 2, T0 + 8 * DAY)  # resolved while open: bruno owns it
    _rate(*_resolved_by(make, anna, ("sim",)), 3, T0 + 9 * DAY)
    _rate(*_solved_by_community(make, ("sim",)), 1, T0 - DAY)  # before the period
    end = T0 + 14 * DAY

    trend = csat.weekly_trend(T0, 3)
    assert [w["week"] for w in trend] == [T0, T0 + 7 * DAY, T0 + 14 * DAY]
    assert [(w["responses"], w["average"], w["satisfied"]) for w in trend] == [
        (2, 4.5, 1.0), (2, 2.5, 0.0), (0, None, None),
    ]
    assert csat.by_tag(T0, end) == [
        {"key": "sim", "responses": 3, "average": 4.0, "satisfied": 0.667},
        {"key": "roaming", "responses": 2, "average": 3.0, "satisfied": 0.5},
    ]
    assert csat.by_staff(T0, end) == [
        {"key": "anna", "responses": 2, "average": 3.5, "satisfied": 0.5},
        {"key": "bruno", "responses": 1, "average": 2.0, "satisfied": 0.0},
    ]
    assert csat.overall(T0, end) == {"responses": 4, "average": 3.5, "satisfied": 0.5,
                                     "community_responses": 1, "staff_responses": 3}
    assert csat.overall(T0, T0 + 7 * DAY)["responses"] == 2
    assert csat.overall(end, end + 7 * DAY) == {"responses": 0, "average": None, "satisfied": None,
                                                "community_responses": 0, "staff_responses": 0}


def test_parallel_ratings_of_one_thread_record_one(app, make):
    from support.models import CsatResponse, User

    from .service_helpers import count, run_parallel

    asker = make.user()
    question = make.question(author=asker)
    make.accept(asker, make.answer(question))
    asker_id, question_id = asker.id, question.id
    outcomes = []

    def rate(score):
        def job():
            try:
                csat.record(db.session.get(User, asker_id), question_id, score)
                outcomes.append("recorded")
            except Conflict:
                outcomes.append("conflict")
        return job

    assert run_parallel(app, [rate(s) for s in (1, 2, 3, 4, 5, 5)]) == []
    assert sorted(outcomes) == ["conflict"] * 5 + ["recorded"]
    assert count(CsatResponse, CsatResponse.question_id == question_id) == 1
