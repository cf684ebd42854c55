"""Votes through the API: cast, repeat, change, retract, and who may vote."""

from types import SimpleNamespace

import pytest

from support.extensions import db
from support.models import Vote


@pytest.fixture(params=["question", "answer"])
def post(request, make):
    """A question or an answer to vote on: its author and the path of its votes."""
    question = make.question()
    target = question if request.param == "question" else make.answer(question)
    return SimpleNamespace(author=target.author, votes_path=f"/api/v1/{request.param}s/{target.id}/votes")


def test_vote_repeat_change_and_retract(api, make, post, doctor):
    api.as_user(make.user(points=200))

    assert api.post(post.votes_path, json={"value": 1}).get_json() == {"score": 1, "my_vote": 1}
    assert api.post(post.votes_path, json={"value": 1}).get_json() == {"score": 1, "my_vote": 1}
    assert api.post(post.votes_path, json={"value": -1}).get_json() == {"score": -1, "my_vote": -1}
    assert api.delete(post.votes_path).get_json() == {"score": 0, "my_vote": 0}
    assert api.delete(post.votes_path).get_json() == {"score": 0, "my_vote": 0}
    assert db.session.query(Vote).count() == 0
    doctor()


def test_votes_of_several_members_add_up(api, make, post, doctor):
    for _ in range(3):
        api.as_user(make.user()).post(post.votes_path, json={"value": 1})
    response = api.as_user(make.user(points=200)).post(post.votes_path, json={"value": -1})
    assert response.get_json() == {"score": 2, "my_vote": -1}
    doctor()


def test_no_vote_on_own_post(api, post, doctor):
    response = api.as_user(post.author).post(post.votes_path, json={"value": 1})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    doctor()


def test_downvote_needs_the_contributor_rank(api, make, post, doctor):
    assert api.as_user(make.user(points=1)).post(post.votes_path, json={"value": -1}).status_code == 403
    assert api.as_user(make.user(points=125)).post(post.votes_path, json={"value": -1}).status_code == 200
    doctor()


@pytest.mark.parametrize(
    "body, status",
    [
        ({"value": 0}, 422),
        ({"value": 2}, 422),
        ({"value": -5}, 422),
        ({}, 422),
        ({"value": "1"}, 400),
        ({"value": True}, 400),
        ({"value": 1.0}, 400),
        ({"value": None}, 400),
    ],
)
def test_bad_vote_values(api, make, post, body, status, doctor):
    response = api.as_user(make.user(points=200)).post(post.votes_path, json=body)
    assert response.status_code == status
    assert "value" in response.get_json()["error"]["fields"]
    assert db.session.query(Vote).count() == 0
    doctor()


@pytest.mark.parametrize("method", ["post", "delete"])
def test_anonymous_cannot_vote(api, post, method):
    response = getattr(api, method)(post.votes_path, json={"value": 1})
    assert response.status_code == 401


@pytest.mark.parametrize("kind", ["questions", "answers"])
@pytest.mark.parametrize("target_id", ["0", "999", "99999999999999999999", "x"])
def test_vote_on_missing_post_is_404(api, make, kind, target_id):
    response = api.as_user(make.user()).post(f"/api/v1/{kind}/{target_id}/votes", json={"value": 1})
    assert response.status_code == 404
