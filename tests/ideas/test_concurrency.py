"""Votes on ideas under parallel clicks (run on SQLite and on PostgreSQL)."""

from sqlalchemy import func, select

from support.extensions import db
from support.models import Idea, IdeaVote
from support.services import ideas
from ..parallel import run_parallel

BODY = "It would help a lot if the app could do this for every customer."


def _voter_job(user_id, idea_id):
    from support.errors import Conflict
    from support.models import User

    def job():
        try:
            ideas.vote(db.session.get(User, user_id), idea_id)
        except Conflict:
            pass  # the open-vote limit: expected for the extra votes

    return job


def test_parallel_votes_respect_the_open_vote_limit(app, make, doctor):
    voter = make.user()
    board = [ideas.post_idea(make.user(), f"Idea number {i} for the board", BODY, ["app"]) for i in range(12)]
    db.session.commit()
    errors = run_parallel(app, [_voter_job(voter.id, idea.id) for idea in board])
    assert errors == []
    assert db.session.scalar(select(func.count()).where(IdeaVote.user_id == voter.id)) == 10
    assert db.session.scalar(select(func.sum(Idea.votes))) == 10
    doctor()


def test_parallel_double_clicks_make_one_vote(app, make, doctor):
    voter = make.user()
    idea = ideas.post_idea(make.user(), "One idea clicked many times", BODY, ["app"])
    db.session.commit()
    errors = run_parallel(app, [_voter_job(voter.id, idea.id) for _ in range(20)])
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(IdeaVote)) == 1
    db.session.refresh(idea)
    assert idea.votes == 1
    doctor()
