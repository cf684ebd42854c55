"""Badges: the catalogue, granted once, per tag for tag badges, shown on pages and API."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select, update

from gamification.badges import CATALOGUE, evaluate
from gamification.models import BadgeAward
from support.extensions import db
from support.models import Answer
from support.services import accept, accounts, posts, votes


def badges_of(user):
    return sorted(db.session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == user.id)))


def test_catalogue_has_24_or_more_badges_in_three_tiers(app):
    assert len(CATALOGUE) >= 24
    assert {b.tier for b in CATALOGUE.values()} == {"bronze", "silver", "gold"}
    assert sum(b.per_tag for b in CATALOGUE.values()) == 3


def test_first_question_answer_and_accept_badges(make, doctor):
    asker, helper = make.user(), make.user()
    question = make.question(author=asker)
    assert badges_of(asker) == ["curious"]
    answer = make.answer(question, author=helper)
    assert "first-answer" in badges_of(helper)
    assert "welcome" in badges_of(helper)  # first answer to the asker's first question
    accept.accept_answer(asker, answer.id)
    assert {"solver", "quick-draw"} <= set(badges_of(helper))
    assert "scholar" in badges_of(asker)
    doctor()


def test_welcome_badge_only_for_a_newcomers_first_question(make):
    asker = make.user()
    make.question(author=asker)
    second = make.question(author=asker)
    helper = make.user()
    make.answer(second, author=helper)
    assert "welcome" not in badges_of(helper)


def test_quick_draw_needs_an_answer_within_ten_minutes(make):
    asker, helper = make.user(), make.user()
    start = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        question = make.question(author=asker)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        answer = make.answer(question, author=helper)
        accept.accept_answer(asker, answer.id)
    assert "solver" in badges_of(helper)
    assert "quick-draw" not in badges_of(helper)


def test_badge_granted_once_even_when_earned_again(make):
    helper = make.user()
    for _ in range(3):
        make.answer(make.question(), author=helper)
    assert badges_of(helper).count("first-answer") == 1
    assert evaluate("answer_posted", helper.id) == []


def test_answer_score_badges(make):
    helper = make.user()
    answer = make.answer(make.question(), author=helper)
    for _ in range(10):
        votes.cast_vote(make.user(), "answer", answer.id, 1)
    assert {"nice-answer", "good-answer"} <= set(badges_of(helper))
    assert "great-answer" not in badges_of(helper)


def test_voter_and_supporter_badges(make):
    voter = make.user()
    for _ in range(10):
        votes.cast_vote(voter, "question", make.question().id, 1)
    assert {"supporter", "voter"} <= set(badges_of(voter))


def test_week_streak(make):
    helper = make.user()
    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    for day in range(7):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            make.answer(make.question(), author=helper)
            if day < 6:
                assert "week-streak" not in badges_of(helper)
    assert "week-streak" in badges_of(helper)


def test_tag_badge_is_per_tag(make):
    helper = make.user()
    for tags in (("sim",), ("roaming",)):
        for _ in range(20):
            make.answer(make.question(tags=tags), author=helper)
    # The rule reads answer scores; plant them rather than casting 200 votes.
    db.session.execute(update(Answer).where(Answer.author_id == helper.id).values(score=5))
    db.session.commit()
    evaluate("vote_received", helper.id)
    db.session.commit()
    rows = db.session.execute(
        select(BadgeAward.tag_name).where(BadgeAward.user_id == helper.id, BadgeAward.badge == "tag-bronze")
    ).all()
    assert sorted(r.tag_name for r in rows) == ["roaming", "sim"]
    assert evaluate("vote_received", helper.id) == []  # once per tag


def test_profile_badge_on_completing_the_profile(make):
    user = make.user()
    accounts.update_settings(user.id, display_name="Maria R.", bio="Uso la SIM da 10 anni", followed_tags="sim roaming")
    assert "autobiographer" in badges_of(user)


def test_editor_badge(make):
    author = make.user()
    question = make.question(author=author)
    posts.edit_question(author, question.id, body="Ho ricevuto la nuova SIM ieri sera ma non si attiva ancora.")
    assert "editor" in badges_of(author)


def test_badges_page_and_api_show_holders(make, client, api):
    make.question(author=make.user())
    page = client.get("/badges").get_data(as_text=True)
    assert "Curious" in page or "Curioso" in page
    body = api.get("/api/v1/badges").get_json()
    curious = next(b for b in body if b["slug"] == "curious")
    assert curious["holders"] == 1 and curious["tier"] == "bronze"
    assert db.session.scalar(select(func.count()).select_from(BadgeAward)) >= 1
