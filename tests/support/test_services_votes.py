"""Votes through the service: scores, changes, retractions, permissions."""

import pytest

from support.errors import Forbidden, Invalid, NotFound
from support.services.votes import cast_vote


def test_upvote_counts_once_even_when_repeated(make, doctor):
    question = make.question()
    voter = make.user()
    assert cast_vote(voter, "question", question.id, 1) == (1, 1)
    assert cast_vote(voter, "question", question.id, 1) == (1, 1)
    doctor()


def test_change_and_retract_vote(make, doctor):
    answer = make.answer(make.question())
    voter = make.user(points=200)
    assert cast_vote(voter, "answer", answer.id, 1) == (1, 1)
    assert cast_vote(voter, "answer", answer.id, -1) == (-1, -1)
    assert cast_vote(voter, "answer", answer.id, 0) == (0, 0)
    assert cast_vote(voter, "answer", answer.id, 0) == (0, 0)
    doctor()


def test_cannot_vote_on_own_post(make):
    author = make.user()
    question = make.question(author=author)
    with pytest.raises(Forbidden):
        cast_vote(author, "question", question.id, 1)


def test_newcomer_cannot_downvote_but_contributor_can(make):
    answer = make.answer(make.question())
    with pytest.raises(Forbidden, match="Contributor"):
        cast_vote(make.user(points=1), "answer", answer.id, -1)
    assert cast_vote(make.user(points=125), "answer", answer.id, -1) == (-1, -1)


@pytest.mark.parametrize("value", [2, -2, True, "1", None])
def test_bad_vote_values_are_refused(make, value):
    question = make.question()
    with pytest.raises(Invalid):
        cast_vote(make.user(), "question", question.id, value)


def test_vote_on_missing_post(make):
    with pytest.raises(NotFound):
        cast_vote(make.user(), "answer", 999_999, 1)
