"""Serial-vote reversal, daily vote limit, new-account limits (429 with Retry-After)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from gamification.antiabuse import reverse_serial_votes
from gamification.models import AuditEntry
from support.errors import RateLimited
from support.extensions import db
from support.models import User
from support.services import posts, votes


@pytest.fixture
def limits_on(app):
    app.config["RATELIMIT_ENABLED"] = True
    yield app
    app.config["RATELIMIT_ENABLED"] = False


def test_serial_votes_are_reversed_once_with_an_audit_entry(make, doctor):
    target, fan = make.user(), make.user()
    answers = [make.answer(make.question(), author=target) for _ in range(12)]
    for answer in answers:
        votes.cast_vote(fan, "answer", answer.id, 1)
    assert db.session.get(User, target.id).points == 121
    result = reverse_serial_votes()
    assert result == {"voters": 1, "votes_reversed": 12}
    db.session.expire_all()
    assert db.session.get(User, target.id).points == 1
    audit = db.session.scalars(select(AuditEntry)).all()
    assert len(audit) == 1 and audit[0].subject_user_id == fan.id
    assert reverse_serial_votes() == {"voters": 0, "votes_reversed": 0}
    doctor()


def test_votes_spread_across_many_authors_are_left_alone(make):
    fan = make.user()
    for _ in range(12):
        votes.cast_vote(fan, "answer", make.answer(make.question()).id, 1)
    assert reverse_serial_votes() == {"voters": 0, "votes_reversed": 0}


def test_slow_votes_outside_the_window_are_left_alone(make):
    target, fan = make.user(), make.user()
    start = datetime.now(UTC) - timedelta(hours=30)
    for i in range(12):
        with time_machine.travel(start + timedelta(hours=2 * i), tick=False):
            votes.cast_vote(fan, "answer", make.answer(make.question(), author=target).id, 1)
    assert reverse_serial_votes()["votes_reversed"] == 0


def test_daily_vote_limit(make, limits_on):
    app = limits_on
    app.config["LIMIT_VOTES_PER_DAY"] = 3
    voter = make.user()
    for _ in range(3):
        votes.cast_vote(voter, "question", make.question().id, 1)
    with pytest.raises(RateLimited) as caught:
        votes.cast_vote(voter, "question", make.question().id, 1)
    assert caught.value.retry_after > 0


def test_new_account_waits_thirty_seconds_between_posts(make, limits_on):
    newbie = make.user()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    with time_machine.travel(start, tick=False):
        posts.ask_question(newbie, "Come cambio il piano tariffario?", "Vorrei passare a un'offerta con più giga.", ["offerte"])
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        with pytest.raises(RateLimited, match="20 seconds") as caught:
            posts.post_answer(newbie, make.question().id, "Prova a riavviare il telefono.")
        assert caught.value.retry_after == 20
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        posts.post_answer(newbie, make.question().id, "Prova a riavviare il telefono.")


def test_new_account_question_quota_and_links(make, limits_on):
    newbie = make.user()
    start = datetime.now(UTC)
    for i in range(3):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            posts.ask_question(newbie, "Come cambio il piano tariffario?", "Vorrei passare a un'offerta con più giga.", ["offerte"])
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        with pytest.raises(RateLimited, match="3"):
            posts.ask_question(newbie, "Ancora una domanda sul piano?", "Vorrei passare a un'offerta con più giga.", ["offerte"])
        with pytest.raises(RateLimited):
            posts.post_answer(newbie, make.question().id, "Guarda https://a.example e https://b.example e https://c.example")
    veteran = make.user(points=200)
    veteran.created_at = start - timedelta(days=30)
    db.session.commit()
    for i in range(5):
        with time_machine.travel(start + timedelta(minutes=10, seconds=i), tick=False):
            posts.ask_question(veteran, "Domanda da membro esperto?", "Un membro con esperienza non ha limiti.", ["sim"])


def test_rate_limited_vote_is_429_in_the_api(make, api, limits_on):
    limits_on.config["LIMIT_VOTES_PER_DAY"] = 1
    voter = make.user()
    api.as_user(voter)
    assert api.post(f"/api/v1/questions/{make.question().id}/votes", json={"value": 1}).status_code == 200
    response = api.post(f"/api/v1/questions/{make.question().id}/votes", json={"value": 1})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "rate_limited"
