"""The loader and the report on stored events, through the real models (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from search.models import AskFlow
from support.extensions import db
from support.metrics.report import (canonical_json, deflection_report, helped_counts, helped_total_for,
                                    period_bounds)
from support.models.base import clock_at
from support.models.metrics import ContactFeedback, SolvedFeedback, ThreadView
from support.models.staff import Escalation

START, END = date(2026, 10, 1), date(2026, 10, 31)


def at(month, day, hour=12):
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def community(make):
    with clock_at(at(9, 1)):
        asker, answerer, other_asker, member = make.user(), make.user(), make.user(), make.user()
        staff = make.staff()
        question = make.question(author=asker)
        answer = make.answer(question, author=answerer)
        staff_question = make.question(author=other_asker)
        staff_answer = make.answer(staff_question, author=staff)
        member_question = make.question(author=member)
    with clock_at(at(10, 2, 9)):
        make.accept(asker, answer)
    with clock_at(at(10, 3, 9)):
        make.accept(other_asker, staff_answer)
    return {"asker": asker, "answerer": answerer, "other_asker": other_asker, "member": member, "staff": staff,
            "question": question, "answer": answer, "staff_question": staff_question, "staff_answer": staff_answer,
            "member_question": member_question}


def _view(visitor, question, moment, accepted, user=None, role=None, ua="browser", dwell=30):
    return ThreadView(visitor_key=visitor, user_id=user, question_id=question.id, viewed_at=moment,
                      accepted_answer_id=accepted.id if accepted else None, viewer_role=role, ua_class=ua,
                      dwell_seconds=dwell)


def _escalation(question, created, resolved=None, resolution=None):
    return Escalation(question_id=question.id, status="resolved" if resolved else "open", source="asker",
                      sla_due_at=created + timedelta(days=1), created_at=created, resolved_at=resolved,
                      resolution=resolution)


@pytest.fixture
def events(community):
    c = community
    q, a = c["question"], c["answer"]
    member, answerer = c["member"], c["answerer"]
    db.session.add_all([
        _view("c:1", q, at(10, 5, 10), a),
        _view("c:1", q, at(10, 5, 11), a),                                 # same episode
        _view("c:1", c["staff_question"], at(10, 5, 12), c["staff_answer"]),  # same (visitor, day)
        _view("c:2", q, at(10, 6), a),
        _view("c:2", q, at(10, 7), a),
        _view("c:3", q, at(10, 1), None),                                  # before the acceptance
        _view("c:bot", q, at(10, 5), a, ua="other"),
        _view("c:4", q, at(10, 5), a, dwell=3),
        _view(f"u:{c['asker'].id}", q, at(10, 5), a, user=c["asker"].id, role="author"),
        _view(f"u:{answerer.id}", q, at(10, 8), a, user=answerer.id),      # posted in it, flag missed
        _view(f"u:{member.id}", q, at(10, 10), a, user=member.id),         # then escalates: a failure
        _view("c:5", q, at(11, 2), a),                                     # after the period
        SolvedFeedback(question_id=q.id, visitor_key="c:1", solved=True, answered_at=at(10, 5, 13)),
        SolvedFeedback(question_id=q.id, visitor_key="c:2", solved=True, answered_at=at(10, 8)),  # no view that day
        ContactFeedback(question_id=q.id, visitor_key="c:1", source="reader", answer="yes",
                        answered_at=at(10, 5, 13)),
        ContactFeedback(question_id=q.id, visitor_key=f"u:{c['asker'].id}", user_id=c["asker"].id,
                        source="asker", answer="not_sure", answered_at=at(10, 2, 9)),
        AskFlow(visitor_key="c:6", started_at=at(10, 8), suggestions_shown=[q.id], clicked_question_id=q.id),
        AskFlow(visitor_key="c:7", started_at=at(10, 8), suggestions_shown=[q.id], clicked_question_id=q.id),
        AskFlow(visitor_key="c:7", started_at=at(10, 9), suggestions_shown=[], outcome="posted"),
        AskFlow(visitor_key="c:8", started_at=at(10, 8), suggestions_shown=[q.id]),
        _escalation(c["member_question"], at(10, 12)),
        _escalation(c["staff_question"], at(10, 3, 10), resolved=at(10, 4), resolution="staff_answer"),
    ])
    db.session.commit()
    return community


def test_monthly_report_from_stored_events(events):
    report = deflection_report(START, END, today=date(2026, 12, 1))
    assert report["quantities"] == {"E": 3, "A": 1, "Q": 1, "staff_resolved": 1}
    filters = {f["name"]: f for f in report["filters"]}
    assert filters["bots"]["detail"] == {"not_browser": 1, "dwell": 1, "rate": 0}
    assert filters["insiders"]["detail"] == {"author": 1, "answerer": 1, "staff": 0}
    assert filters["not_yet_solved"]["removed"] == 1
    assert filters["votes_without_view"]["detail"] == {"no_view": 1, "participant": 0}
    assert filters["failures"]["removed"] == 1
    assert report["funnel"]["views"] == 11
    assert (report["rates"]["r"]["k"], report["rates"]["r"]["n"]) == (1, 1)
    assert (report["rates"]["c_r"]["k"], report["rates"]["c_r"]["n"]) == (1, 1)
    assert (report["rates"]["c_q"]["k"], report["rates"]["c_q"]["n"]) == (0, 1)
    assert report["period"]["provisional"] is False
    assert report["companions"]["escalating_members"] == 2
    assert report["companions"]["response"]["shown"] == 4     # c:1 x2 threads, c:2, the member
    assert report["helped"][0] == {"answer_id": events["answer"].id, "question_id": events["question"].id,
                                   "episodes": 4}
    assert set(report["config"]) >= {"window_days", "cost_per_ticket", "n_min"}


def test_recomputing_is_byte_identical_and_writes_nothing(events):
    counts = {model: db.session.query(model).count() for model in (ThreadView, SolvedFeedback, AskFlow, Escalation)}
    first = canonical_json(deflection_report(START, END, today=date(2026, 12, 1), cached=False))
    second = canonical_json(deflection_report(START, END, today=date(2026, 12, 1), cached=False))
    assert first == second
    assert counts == {model: db.session.query(model).count() for model in counts}
    assert events["answerer"].points == db.session.get(type(events["answerer"]), events["answerer"].id).points


def test_provisional_by_the_clock(events):
    with clock_at(at(11, 7)):
        assert deflection_report(START, END)["period"]["provisional"] is True
    with clock_at(at(11, 8, 0)):
        assert deflection_report(START, END)["period"]["provisional"] is False


def test_helped_counts_distinct_outside_episodes_after_acceptance(events):
    answer, staff_answer = events["answer"], events["staff_answer"]
    # c:1 Oct 5, c:2 Oct 6 and 7, the answerer (no role flag), the member, c:5 in November;
    # not the bot, the short dwell, the author's view nor the view before acceptance.
    assert helped_counts([answer.id, staff_answer.id, 999_999]) == {answer.id: 6, staff_answer.id: 1, 999_999: 0}
    assert helped_counts([]) == {}
    assert helped_total_for(events["answerer"].id) == 6
    assert helped_total_for(events["staff"].id) == 1
    assert helped_total_for(events["asker"].id) == 0


@pytest.mark.parametrize(("kind", "moment", "expected"), [
    ("month", date(2026, 10, 15), (date(2026, 10, 1), date(2026, 10, 31))),
    ("month", datetime(2026, 12, 31, 23, tzinfo=UTC), (date(2026, 12, 1), date(2026, 12, 31))),
    ("month", date(2028, 2, 10), (date(2028, 2, 1), date(2028, 2, 29))),
    ("week", date(2026, 10, 15), (date(2026, 10, 12), date(2026, 10, 18))),
    ("week", date(2026, 10, 12), (date(2026, 10, 12), date(2026, 10, 18))),
])
def test_period_bounds(kind, moment, expected):
    assert period_bounds(kind, moment) == expected


def test_period_bounds_rejects_unknown_kinds():
    with pytest.raises(ValueError):
        period_bounds("year", date(2026, 1, 1))


def test_final_reports_are_kept_and_provisional_ones_recomputed(events, make):
    final = deflection_report(START, END, today=date(2026, 12, 1))
    # New events inside a final period (they cannot arrive from the beacon, which stamps
    # the present; an import could add them) do not change the kept report...
    db.session.add(ThreadView(question_id=events["question"].id, visitor_key="c:late", viewed_at=at(10, 20),
                              accepted_answer_id=events["answer"].id, ua_class="browser", dwell_seconds=30))
    db.session.commit()
    assert deflection_report(START, END, today=date(2026, 12, 1)) == final
    # ... while a fresh computation sees them, and a provisional period is never kept.
    assert deflection_report(START, END, today=date(2026, 12, 1), cached=False) != final
    provisional = deflection_report(START, END, today=date(2026, 11, 2))
    assert provisional["period"]["provisional"] is True
    assert provisional["quantities"]["E"] == deflection_report(START, END, today=date(2026, 12, 1), cached=False)["quantities"]["E"]
