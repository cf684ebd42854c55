"""`flask seed-bench`: a big synthetic community by bulk inserts, consistent enough for `flask doctor`."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from gamification.models import DailyVotePoints, LeaderboardEntry, PointsEntry
from gamification.recompute import expected_leaderboards
from gamification.rules import daily_cap
from support.extensions import db
from support.models import Answer, Comment, Escalation, Question, Revision, ThreadView, User, Vote
from support.text import render_markdown

SIZE = ["--members", "200", "--questions", "300", "--answers", "1000", "--seed", "3"]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_bench_builds_a_community_the_doctor_accepts(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-bench", *SIZE, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Seeded 200 members" in result.output
    db.session.rollback()

    assert (_count(User), _count(Question), _count(Answer)) == (200, 300, 1000)
    assert _count(Vote) > 500 and _count(Comment) > 0 and _count(ThreadView) > 0
    assert _count(Revision, Revision.number == 1) == 1300  # every post's original
    assert {s for (s,) in db.session.execute(select(Escalation.status).distinct())} == {"open", "assigned", "resolved"}

    # The stored HTML is what the sanitizing renderer makes of the Markdown, for every post
    # (pages insert it with |safe, so the shortcut of rendering templates once must not drift).
    for model in (Question, Answer, Comment):
        for body, body_html in db.session.execute(select(model.body, model.body_html)):
            assert body_html == render_markdown(body)

    # Scores are the sums of the votes; nobody votes on their own post; votes come after posts.
    for model, column in ((Question, Vote.question_id), (Answer, Vote.answer_id)):
        sums = dict(db.session.execute(select(column, func.sum(Vote.value)).where(column.is_not(None)).group_by(column)).all())
        assert all(score == sums.get(pid, 0) for pid, score in db.session.execute(select(model.id, model.score)))
        own = db.session.scalar(select(func.count()).select_from(Vote).join(model, model.id == column)
                                .where(model.author_id == Vote.voter_id))
        early = db.session.scalar(select(func.count()).select_from(Vote).join(model, model.id == column)
                                  .where(Vote.created_at < model.created_at))
        assert own == 0 and early == 0

    # Answers come after their question, acceptances after their answer; one per question.
    late = db.session.scalar(select(func.count()).select_from(Answer).join(Question, Question.id == Answer.question_id)
                             .where(Answer.created_at < Question.created_at))
    assert late == 0
    accepted = db.session.execute(select(Answer.question_id, func.count()).where(Answer.accepted_at.is_not(None))
                                  .group_by(Answer.question_id)).all()
    assert accepted and all(n == 1 for _q, n in accepted)
    assert _count(Answer, Answer.accepted_at < Answer.created_at) == 0
    assert _count(Question, Question.accepted_answer_id.is_not(None)) == len(accepted)

    # Points are the ledger sums; nobody earns more than the cap from votes in a day.
    totals = dict(db.session.execute(select(PointsEntry.user_id, func.sum(PointsEntry.delta)).group_by(PointsEntry.user_id)).all())
    assert all(points == totals.get(uid) and points >= 1 for uid, points in db.session.execute(select(User.id, User.points)))
    assert _count(PointsEntry, PointsEntry.reason == "joined") == 200
    assert not _count(DailyVotePoints, DailyVotePoints.points > daily_cap())
    keyed = aliased(PointsEntry)
    assert _count(keyed, keyed.reason == "answer_accepted") == _count(
        Answer, Answer.accepted_at.is_not(None),
        Answer.author_id != select(Question.author_id).where(Question.id == Answer.question_id).scalar_subquery())

    # The leaderboards are what `gamification recompute` would rebuild from the ledger.
    expected = {key: points for key, (points, _at) in expected_leaderboards().items()}
    actual = {(r.period, r.period_start, r.tag_key, r.user_id): r.points for r in db.session.scalars(select(LeaderboardEntry))}
    assert actual == expected
    db.session.rollback()

    doctor = runner.invoke(args=["doctor"])
    assert doctor.exit_code == 0, doctor.output
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output
    assert "missing: 0" in check.output


def test_seed_bench_refuses_a_database_with_members(app, make):
    make.user()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["seed-bench", *SIZE, "--yes"])
    assert result.exit_code != 0
    assert "already has 1 members" in result.output
    db.session.rollback()
    assert (_count(User), _count(Question)) == (1, 0)


def test_seed_bench_asks_before_writing(app):
    result = app.test_cli_runner().invoke(args=["seed-bench", *SIZE], input="n\n")
    assert result.exit_code != 0
    db.session.rollback()
    assert _count(User) == 0
