"""Leaderboards: periods, tags, ties, the viewer's own rank, page and API."""

from datetime import UTC, datetime, timedelta

import time_machine

from gamification.leaderboard import standing_of, tag_key_for, top
from gamification.recompute import recompute
from support.services import votes


def upvote_answers(make, author, n, tags=("sim",)):
    question = make.question(tags=tags)
    answer = make.answer(question, author=author)
    for _ in range(n):
        votes.cast_vote(make.user(), "answer", answer.id, 1)
    return answer


def test_week_month_all_periods(make):
    old_hand, newcomer = make.user(username="veterano"), make.user(username="nuovo")
    with time_machine.travel(datetime(2026, 4, 1, 12, tzinfo=UTC), tick=False):
        upvote_answers(make, old_hand, 3)
    with time_machine.travel(datetime(2026, 5, 20, 12, tzinfo=UTC), tick=False):  # a Wednesday
        upvote_answers(make, newcomer, 1)
        week = [s.username for s in top("week")]
        assert week.index("nuovo") < (week.index("veterano") if "veterano" in week else 999)
        all_time = top("all")
        assert all_time[0].username == "veterano" and all_time[0].points >= 30


def test_ties_go_to_who_got_there_first(make):
    first, second = make.user(username="primo"), make.user(username="secondo")
    start = datetime(2026, 5, 18, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        upvote_answers(make, first, 1)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        upvote_answers(make, second, 1)
        names = [s.username for s in top("week") if s.username in ("primo", "secondo")]
        assert names == ["primo", "secondo"]


def test_per_tag_board_and_own_rank_off_the_top(make):
    star = make.user(username="stella")
    upvote_answers(make, star, 2, tags=("roaming",))
    others = [make.user() for _ in range(4)]
    for member in others:
        upvote_answers(make, member, 3, tags=("sim",))
    roaming = tag_key_for("roaming")
    assert [s.username for s in top("week", roaming)] == ["stella"]
    mine = standing_of(star.id, "week")
    assert mine.points == 21 and mine.rank > 4
    assert [s.rank for s in top("week", 0, limit=3)] == [1, 2, 3]


def test_recompute_rebuilds_the_same_boards(make, doctor):
    upvote_answers(make, make.user(), 2, tags=("sim", "app"))
    before = [(s.username, s.points) for s in top("all")]
    assert recompute()["leaderboard rows fixed"] == 0
    from gamification.models import LeaderboardEntry
    from support.extensions import db

    db.session.query(LeaderboardEntry).delete()
    db.session.commit()
    assert recompute()["leaderboard rows fixed"] > 0
    assert [(s.username, s.points) for s in top("all")] == before
    doctor()


def test_leaderboard_page_and_api(make, client, api):
    me = make.user(username="io")
    upvote_answers(make, make.user(username="campione"), 3)
    client.login_as(me)
    page = client.get("/leaderboard?period=month").get_data(as_text=True)
    assert "campione" in page and "<progress" in page
    assert client.get("/leaderboard?tag=sconosciuto").status_code == 404
    assert client.get("/leaderboard?period=nonsense").status_code == 200
    body = api.as_user(me).get("/api/v1/leaderboard?period=all&limit=5").get_json()
    assert body["period"] == "all"
    assert body["items"][0]["user"]["username"] == "campione"
    assert body["items"][0]["rank"] == 1
    assert set(body["me"]) == {"rank", "points"}
