"""Segments over 90 days, the staff segments page, and doctor's ledger invariants."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import update

from gamification.models import PointsEntry
from gamification.segments import classify, segment_of
from support.extensions import db
from support.models import User
from support.services import accept, votes


def test_creator_contributor_viewer(make):
    creator, contributor, viewer, idle = make.user(), make.user(), make.user(), make.user()
    asker = make.user()
    answer = make.answer(make.question(author=asker), author=creator)
    accept.accept_answer(asker, answer.id)  # one accepted answer makes a Creator
    votes.cast_vote(contributor, "question", make.question().id, 1)
    db.session.execute(update(User).where(User.id == viewer.id).values(last_seen_at=datetime.now(UTC)))
    db.session.commit()
    assert segment_of(creator.id) == "creator"
    assert segment_of(contributor.id) == "contributor"
    assert segment_of(asker.id) == "contributor"
    assert segment_of(viewer.id) == "viewer"
    groups = classify()
    assert creator.id in groups["creator"] and contributor.id in groups["contributor"]
    assert viewer.id in groups["viewer"] and idle.id not in set().union(*groups.values())


def test_three_answers_make_a_creator_and_the_window_rolls(make):
    helper = make.user()
    start = datetime(2026, 1, 10, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            make.answer(make.question(), author=helper)
        assert segment_of(helper.id) == "creator"
    with time_machine.travel(start + timedelta(days=91), tick=False):
        assert segment_of(helper.id) == "viewer"


def test_segments_page_is_for_staff_with_a_chart(make, client):
    make.answer(make.question())
    client.login_as(make.user())
    assert client.get("/staff/segments").status_code == 403
    client.login_as(make.staff())
    page = client.get("/staff/segments").get_data(as_text=True)
    assert "<svg" in page and "20%" in page and "9%" in page


def test_profile_shows_rank_progress_badges_and_history(make, client):
    helper = make.user()
    answer = make.answer(make.question(), author=helper)
    votes.cast_vote(make.user(), "answer", answer.id, 1)
    page = client.get(f"/users/{helper.id}").get_data(as_text=True)
    assert 'id="rank-progress"' in page
    assert "Member" in page or "Membro" in page  # 11 points: Member rank reached
    assert f"/answers/{answer.id}/link" in page  # the history row links to what earned it
    assert "first-answer" not in page  # badge names, not slugs, are shown


def _break_total(user, other):
    db.session.execute(update(User).where(User.id == user.id).values(points=User.points + 5))


def _break_cap(user, other):
    db.session.add(PointsEntry(user_id=user.id, delta=250, reason="answer_upvoted", cap_day=datetime(2026, 1, 1).date()))
    db.session.execute(update(User).where(User.id == user.id).values(points=User.points + 250))


def _break_reversal(user, other):
    # A "reversal" of another member's row.
    theirs = db.session.query(PointsEntry).filter_by(user_id=other.id).first()
    db.session.add(PointsEntry(user_id=user.id, delta=-1, reason="joined", reverses_id=theirs.id))
    db.session.execute(update(User).where(User.id == user.id).values(points=User.points - 1))


@pytest.mark.parametrize("plant, check", [(_break_total, "I3"), (_break_cap, "I4"), (_break_reversal, "I6")])
def test_doctor_catches_planted_ledger_violations(make, app, plant, check):
    user, other = make.user(), make.user()
    assert app.test_cli_runner().invoke(args=["doctor"]).exit_code == 0
    plant(user, other)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert f"[FAIL] {check}" in result.output


def test_recompute_command_repairs_totals(make, app):
    user = make.user()
    db.session.execute(update(User).where(User.id == user.id).values(points=999))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["gamification", "recompute"])
    assert "points totals fixed: 1" in result.output
    assert app.test_cli_runner().invoke(args=["doctor"]).exit_code == 0


def test_expert_queue_needs_the_expert_rank(make, client):
    start = datetime.now(UTC) - timedelta(hours=2)
    with time_machine.travel(start, tick=False):
        waiting = make.question(title="Nessuno risponde sulla mia eSIM?")
    make.question(title="Domanda appena fatta sul PIN?")
    client.login_as(make.user(points=1999))
    response = client.get("/questions/needs-expert")
    assert response.status_code == 403
    assert "Expert" in response.get_data(as_text=True) or "Esperto" in response.get_data(as_text=True)
    client.login_as(make.user(points=2000))
    page = client.get("/questions/needs-expert").get_data(as_text=True)
    assert waiting.title in page and "appena fatta" not in page
