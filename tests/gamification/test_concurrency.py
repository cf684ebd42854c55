"""Parallel votes: on SQLite and PostgreSQL alike, nothing is lost or counted twice."""

from sqlalchemy import func, select

from gamification.models import DailyVotePoints, PointsEntry
from support.extensions import db
from support.models import Answer, User, Vote
from support.services.votes import cast_vote

from ..parallel import run_parallel


def test_fifty_members_voting_in_parallel(app, make, doctor):
    author = make.user()
    answer = make.answer(make.question(), author=author)
    voters = [make.user(points=200) for _ in range(50)]
    answer_id, voter_ids = answer.id, [v.id for v in voters]
    values = [1 if i % 5 else -1 for i in range(50)]

    def vote(voter_id, value):
        return lambda: cast_vote(db.session.get(User, voter_id), "answer", answer_id, value)

    errors = run_parallel(app, [vote(v, val) for v, val in zip(voter_ids, values, strict=True)])
    assert errors == []
    db.session.rollback()  # see what the threads committed
    assert db.session.scalar(select(func.count()).select_from(Vote).where(Vote.answer_id == answer_id)) == 50
    assert db.session.get(Answer, answer_id).score == sum(values)
    doctor()  # points equal ledger sums, cap respected, no duplicates


def test_one_member_double_clicking_in_parallel(app, make, doctor):
    author = make.user()
    answer = make.answer(make.question(), author=author)
    voter = make.user()
    answer_id, voter_id = answer.id, voter.id
    errors = run_parallel(app, [lambda: cast_vote(db.session.get(User, voter_id), "answer", answer_id, 1)] * 20)
    assert errors == []
    db.session.rollback()  # see what the threads committed
    assert db.session.get(Answer, answer_id).score == 1
    assert db.session.scalar(
        select(func.count()).select_from(PointsEntry).where(PointsEntry.user_id == author.id, PointsEntry.reason == "answer_upvoted")
    ) == 1
    doctor()


def test_parallel_votes_at_190_never_pass_the_cap(app, make, doctor):
    author = make.user()
    question = make.question(author=author)
    answers = [make.answer(question, author=author) for _ in range(4)]
    warmup = [make.user() for _ in range(19)]
    for i, voter in enumerate(warmup):
        cast_vote(voter, "answer", answers[i % 4].id, 1)
    assert db.session.get(User, author.id).points == 191
    late = [make.user() for _ in range(12)]
    ids = [(v.id, answers[i % 4].id) for i, v in enumerate(late)]
    errors = run_parallel(app, [
        (lambda v=v, a=a: cast_vote(db.session.get(User, v), "answer", a, 1)) for v, a in ids
    ])
    assert errors == []
    db.session.rollback()  # see what the threads committed
    assert db.session.get(User, author.id).points == 201
    assert db.session.scalar(select(DailyVotePoints.points).where(DailyVotePoints.user_id == author.id)) == 200
    doctor()


def test_parallel_registrations_of_one_username(app, doctor):
    from support.errors import Conflict
    from support.services.accounts import register_user

    outcomes = []

    def register(i):
        def job():
            try:
                register_user("gemello", f"gemello{i}@example.com", "una password lunga")
                outcomes.append("created")
            except Conflict:
                outcomes.append("conflict")
        return job

    assert run_parallel(app, [register(i) for i in range(8)]) == []
    assert sorted(outcomes) == ["conflict"] * 7 + ["created"]
    doctor()
