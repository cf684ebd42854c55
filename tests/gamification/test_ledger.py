"""The points ledger through the real services: awards, reversals, cap, floor, self-dealing."""

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from gamification.models import PointsEntry
from gamification.rules import DAILY_CAP_SETTING, POINTS_SETTING
from support.extensions import db
from support.models import Setting, User
from support.services import accept, accounts, posts, votes


def points(user):
    return db.session.scalar(select(User.points).where(User.id == user.id))


def ledger_of(user):
    return db.session.execute(
        select(PointsEntry.reason, PointsEntry.delta, PointsEntry.reverses_id.is_not(None))
        .where(PointsEntry.user_id == user.id).order_by(PointsEntry.id)
    ).all()


def test_registration_starts_at_one_point(app):
    user = accounts.register_user("giulia", "giulia@example.com", "una password lunga")
    assert points(user) == 1
    assert ledger_of(user) == [("joined", 1, False)]


def test_upvote_awards_and_retract_reverses(make, doctor):
    author = make.user()
    answer = make.answer(make.question(), author=author)
    voter = make.user()
    votes.cast_vote(voter, "answer", answer.id, 1)
    assert points(author) == 11
    votes.cast_vote(voter, "answer", answer.id, 0)
    assert points(author) == 1
    rows = ledger_of(author)
    assert rows[-2:] == [("answer_upvoted", 10, False), ("answer_upvoted", -10, True)]
    doctor()


def test_changing_a_vote_reverses_the_old_points_first(make, doctor):
    author = make.user(points=50)
    answer = make.answer(make.question(), author=author)
    voter = make.user(points=200)
    votes.cast_vote(voter, "answer", answer.id, 1)
    votes.cast_vote(voter, "answer", answer.id, -1)
    assert points(author) == 50 - 2
    assert points(voter) == 200 - 1
    votes.cast_vote(voter, "answer", answer.id, 1)
    assert points(author) == 60
    assert points(voter) == 200
    doctor()


def test_question_upvote_gives_five(make):
    author = make.user()
    question = make.question(author=author)
    votes.cast_vote(make.user(), "question", question.id, 1)
    assert points(author) == 6


def test_accept_awards_answerer_and_asker_and_moving_reverses(make, doctor):
    asker, first, second = make.user(), make.user(), make.user()
    question = make.question(author=asker)
    a1 = make.answer(question, author=first)
    a2 = make.answer(question, author=second)
    accept.accept_answer(asker, a1.id)
    assert (points(first), points(asker)) == (16, 3)
    accept.accept_answer(asker, a2.id)
    assert (points(first), points(second), points(asker)) == (1, 16, 3)
    accept.unaccept_answer(asker, a2.id)
    assert (points(second), points(asker)) == (1, 1)
    doctor()


def test_double_accept_awards_once(make):
    asker, helper = make.user(), make.user()
    answer = make.answer(make.question(author=asker), author=helper)
    accept.accept_answer(asker, answer.id)
    accept.accept_answer(asker, answer.id)
    assert points(helper) == 16


def test_accepting_own_answer_awards_nothing(make, doctor):
    asker = make.user()
    question = make.question(author=asker)
    answer = make.answer(question, author=asker)
    accept.accept_answer(asker, answer.id)
    assert points(asker) == 1
    doctor()


def test_staff_accepting_gives_answerer_points_but_no_asker_bonus(make):
    asker, helper, staff = make.user(), make.user(), make.staff()
    answer = make.answer(make.question(author=asker), author=helper)
    accept.accept_answer(staff, answer.id)
    assert (points(helper), points(asker), points(staff)) == (16, 1, 1)


def test_total_never_below_one(make, doctor):
    author = make.user()
    answer = make.answer(make.question(), author=author)
    for _ in range(3):
        votes.cast_vote(make.user(points=200), "answer", answer.id, -1)
    assert points(author) == 1
    doctor()


def test_daily_cap_at_the_boundary_and_next_day(make, doctor):
    author = make.user()
    question = make.question(author=author)
    answers = [make.answer(question, author=author) for _ in range(3)]
    voters = [make.user() for _ in range(8)]
    with time_machine.travel(datetime(2026, 3, 2, 23, 0, tzinfo=UTC), tick=False):
        # 16 + 3 upvotes x 10 = 190; one more at 190 reaches 200; then nothing more today.
        for voter in voters:
            votes.cast_vote(voter, "answer", answers[0].id, 1)
            votes.cast_vote(voter, "answer", answers[1].id, 1)
        votes.cast_vote(voters[0], "answer", answers[2].id, 1)
        votes.cast_vote(voters[1], "answer", answers[2].id, 1)
        votes.cast_vote(voters[2], "answer", answers[2].id, 1)
        assert points(author) == 1 + 190
        votes.cast_vote(voters[3], "answer", answers[2].id, 1)
        assert points(author) == 1 + 200
        votes.cast_vote(voters[4], "answer", answers[2].id, 1)
        votes.cast_vote(voters[5], "question", question.id, 1)
        assert points(author) == 1 + 200
    with time_machine.travel(datetime(2026, 3, 3, 0, 1, tzinfo=UTC), tick=False):
        votes.cast_vote(voters[6], "answer", answers[2].id, 1)
        assert points(author) == 1 + 210
    doctor()


def test_admin_can_override_points_and_cap(make):
    db.session.add(Setting(key=POINTS_SETTING, value={"answer_upvoted": 7}))
    db.session.add(Setting(key=DAILY_CAP_SETTING, value=10))
    db.session.commit()
    author = make.user()
    question = make.question(author=author)
    answer = make.answer(question, author=author)
    votes.cast_vote(make.user(), "answer", answer.id, 1)
    assert points(author) == 8
    votes.cast_vote(make.user(), "question", question.id, 1)
    assert points(author) == 11  # only 3 of the 5 fit under a cap of 10


def test_deleting_an_answer_reverses_its_points(make, doctor):
    asker, helper = make.user(), make.user()
    answer = make.answer(make.question(author=asker), author=helper)
    votes.cast_vote(make.user(), "answer", answer.id, 1)
    accept.accept_answer(asker, answer.id)
    assert points(helper) == 26
    posts.delete_answer(make.staff(), answer.id)
    assert points(helper) == 1
    assert points(asker) == 1
    doctor()


def test_ledger_rows_are_never_updated(make):
    author = make.user(points=50)
    answer = make.answer(make.question(), author=author)
    voter = make.user(points=200)
    for value in (1, -1, 0, 1, 0):
        votes.cast_vote(voter, "answer", answer.id, value)
    count = db.session.scalar(select(func.count()).select_from(PointsEntry).where(PointsEntry.user_id == author.id))
    # joined + start + up + reversal + down + reversal + up + reversal
    assert count == 8


@pytest.mark.parametrize("value", [1, -1])
def test_no_points_for_own_content(make, value):
    author = make.user(points=200)
    answer = make.answer(make.question(), author=author)
    with pytest.raises(Exception):
        votes.cast_vote(author, "answer", answer.id, value)
    assert points(author) == 200
