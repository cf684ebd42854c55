"""The ideas board through its services: votes, limits, statuses, notifications, points, merges."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from gamification.models import BadgeAward, PointsEntry
from support.errors import Conflict, Forbidden, Invalid
from support.extensions import db
from support.models import IdeaEvent, IdeaFollow, IdeaVote, Notification
from support.models.base import clock_at
from support.services import ideas

BODY = "It would help a lot if the app could do this for every customer."


def new_idea(author, title="Scheduled top-ups from the app"):
    return ideas.post_idea(author, title, BODY, ["app"])


def notified(kind):
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def test_post_vote_retract_follow_comment(make):
    author, voter = make.user(), make.user()
    idea = new_idea(author)
    assert idea.status == "new" and [t.name for t in idea.tags] == ["app"]
    assert ideas.follows(author, idea)
    assert [e.kind for e in ideas.timeline(idea)] == ["posted"]

    assert ideas.vote(voter, idea.id).votes == 1
    assert ideas.vote(voter, idea.id).votes == 1  # a double click changes nothing
    assert ideas.my_vote(voter, idea) and ideas.follows(voter, idea)
    assert ideas.vote_state(voter, [idea]) == {idea.id}
    assert ideas.retract_vote(voter, idea.id).votes == 0
    assert ideas.retract_vote(voter, idea.id).votes == 0
    ideas.unfollow(voter, idea.id)
    assert not ideas.follows(voter, idea)
    ideas.follow(voter, idea.id)
    assert ideas.follows(voter, idea)
    note = ideas.comment(voter, idea.id, "Yes **please**")
    assert "<strong>please</strong>" in note.body_html
    assert ideas.comments_of(idea) == [note]


def test_own_and_closed_ideas_take_no_vote(make):
    author, staff, voter = make.user(), make.staff(), make.user()
    idea = new_idea(author)
    with pytest.raises(Forbidden):
        ideas.vote(author, idea.id)
    ideas.set_status(staff, idea.id, "declined", "We cannot do this because of the bank rules.")
    with pytest.raises(Conflict):
        ideas.vote(voter, idea.id)


def test_open_vote_limit(make):
    staff, voter = make.staff(), make.user()
    authors = [make.user() for _ in range(11)]
    board = [new_idea(a, f"Idea number {i} for the app") for i, a in enumerate(authors)]
    for idea in board[:10]:
        ideas.vote(voter, idea.id)
    with pytest.raises(Conflict) as refused:
        ideas.vote(voter, board[10].id)
    assert "You have used your 10 open votes" in refused.value.message
    ideas.set_status(staff, board[0].id, "delivered", "Done: it is in the latest release.")
    assert ideas.vote(voter, board[10].id).votes == 1  # a delivered idea's vote no longer counts
    assert ideas.open_votes_of(voter.id) == 10


def test_set_status_requires_staff_and_response(make):
    author, staff = make.user(), make.staff()
    idea = new_idea(author)
    with pytest.raises(Forbidden):
        ideas.set_status(author, idea.id, "planned", "I plan it myself, thanks.")
    with pytest.raises(Invalid) as missing:
        ideas.set_status(staff, idea.id, "planned", "")
    assert "response" in missing.value.fields
    with pytest.raises(Invalid) as bad:
        ideas.set_status(staff, idea.id, "new", "Back to new, for some reason.")
    assert "status" in bad.value.fields
    idea = ideas.set_status(staff, idea.id, "planned", "We plan it for the **spring** release.")
    assert idea.status == "planned" and idea.first_response_at is not None
    assert "<strong>spring</strong>" in idea.response_html
    event = ideas.timeline(idea)[-1]
    assert (event.kind, event.from_status, event.to_status, event.actor_id) == ("status", "new", "planned", staff.id)


def test_status_change_notifies_author_voters_followers_once(make):
    author, staff, voter, follower, both = make.user(), make.staff(), make.user(), make.user(), make.user()
    idea = new_idea(author)
    ideas.vote(voter, idea.id)
    ideas.follow(follower, idea.id)
    ideas.vote(both, idea.id)
    ideas.follow(both, idea.id)
    ideas.follow(staff, idea.id)  # the actor is never told of their own act
    ideas.set_status(staff, idea.id, "under_review", "We are looking into it with the app team.")
    assert notified("idea_status") == sorted([author.id, voter.id, follower.id, both.id])
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert note.params == {"title": idea.title, "status": "under_review"}
    from support.notify import render

    assert "is now under review" in render(note, "en")  # the slug is shown as translated words
    assert "under_review" not in render(note, "it")


def test_delivered_awards_points_and_badge_once_and_reverses(make):
    author, staff = make.user(), make.staff()
    idea = new_idea(author)
    before = author.points
    ideas.set_status(staff, idea.id, "delivered", "Shipped in version 4.2 of the app.")
    ideas.set_status(staff, idea.id, "delivered", "Shipped, and now also on the web.")
    rows = db.session.scalars(select(PointsEntry).where(PointsEntry.reason == "idea_delivered")).all()
    assert [(r.user_id, r.delta) for r in rows] == [(author.id, 50)]
    db.session.refresh(author)
    assert author.points == before + 50
    assert db.session.scalar(select(BadgeAward).where(BadgeAward.user_id == author.id, BadgeAward.badge == "idea-delivered"))
    ideas.set_status(staff, idea.id, "in_progress", "Sorry, we had to roll it back for now.")
    db.session.refresh(author)
    assert author.points == before
    assert db.session.scalar(select(func.sum(PointsEntry.delta)).where(PointsEntry.reason == "idea_delivered")) == 0


def test_merge_keeps_votes_exact_and_moves_followers(make, doctor):
    staff, a, b = make.staff(), make.user(), make.user()
    both, only_dup, follower = make.user(), make.user(), make.user()
    kept = new_idea(a, "Scheduled top-ups from the app")
    dup = new_idea(b, "Schedule a top-up in the app")
    ideas.vote(both, kept.id)
    ideas.vote(both, dup.id)
    ideas.vote(only_dup, dup.id)
    ideas.follow(follower, dup.id)
    result = ideas.merge(staff, dup.id, kept.id)
    assert result.id == kept.id and result.votes == 2  # both (once) and only_dup (moved)
    assert db.session.scalar(select(func.count()).where(IdeaVote.user_id == both.id)) == 1
    assert db.session.scalar(select(func.count()).where(IdeaVote.idea_id == dup.id)) == 0
    db.session.refresh(dup)
    assert dup.votes == 0 and dup.merged_into_id == kept.id
    followers = set(db.session.scalars(select(IdeaFollow.user_id).where(IdeaFollow.idea_id == kept.id)))
    assert {a.id, b.id, both.id, only_dup.id, follower.id} <= followers
    assert not db.session.scalar(select(func.count()).where(IdeaFollow.idea_id == dup.id))
    kinds = {(e.idea_id, e.kind) for e in db.session.scalars(select(IdeaEvent))}
    assert {(dup.id, "merged"), (kept.id, "merged_in")} <= kinds
    assert set(notified("idea_merged")) == {b.id, both.id, only_dup.id, follower.id}
    with pytest.raises(Conflict):
        ideas.merge(staff, kept.id, kept.id)
    with pytest.raises(Conflict):
        ideas.merge(staff, kept.id, dup.id)
    with pytest.raises(Forbidden):
        ideas.merge(a, kept.id, dup.id)
    assert [i.id for i in db.session.scalars(ideas.idea_list())] == [kept.id]
    doctor()


def test_merge_drops_second_votes_and_the_kept_authors_vote(make, doctor):
    staff, a, b, c = make.staff(), make.user(), make.user(), make.user()
    kept, dup = new_idea(a), new_idea(b, "Top-ups scheduled every month")
    ideas.vote(c, kept.id)
    ideas.vote(c, dup.id)
    ideas.vote(a, dup.id)  # the kept idea's author may not vote for their own idea
    assert ideas.merge(staff, dup.id, kept.id).votes == 1
    assert db.session.scalar(select(func.count()).where(IdeaVote.user_id == a.id)) == 0
    doctor()


def test_list_sorts_and_similar(make):
    a, b, v1, v2 = make.user(), make.user(), make.user(), make.user()
    old = new_idea(a, "Dark mode for the mobile app")
    new = new_idea(b, "Ricarica automatica ogni mese")
    ideas.vote(v1, old.id)
    ideas.vote(v2, old.id)
    assert [i.id for i in db.session.scalars(ideas.idea_list(sort="top"))] == [old.id, new.id]
    assert [i.id for i in db.session.scalars(ideas.idea_list(sort="newest"))] == [new.id, old.id]
    assert [i.id for i in db.session.scalars(ideas.idea_list(sort="trending"))] == [old.id, new.id]
    assert [i.id for i in db.session.scalars(ideas.idea_list(tag="app", sort="newest"))] == [new.id, old.id]
    assert [i.id for i in db.session.scalars(ideas.idea_list(tag="nope"))] == []
    assert [i.id for i in db.session.scalars(ideas.idea_list(status="planned"))] == []
    assert [i.id for i in ideas.similar_ideas("Ricaricare automaticamente")] == [new.id]
    assert [i.id for i in ideas.similar_ideas("A dark theme for the app")] == [old.id]
    assert ideas.similar_ideas("the and of") == []


def test_waiting_and_ideas_heard(make):
    staff, a = make.user(role="staff"), make.user()
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday
    with clock_at(start):
        slow = new_idea(a, "An idea nobody answered yet")
        answered = new_idea(a, "An idea staff answered quickly")
    with clock_at(start + timedelta(hours=10)):
        ideas.set_status(staff, answered.id, "planned", "Planned for the next release.")
    with clock_at(start + timedelta(days=8)):
        late = new_idea(a, "An idea from the second week")
    with clock_at(start + timedelta(days=8, hours=20)):
        ideas.set_status(staff, late.id, "declined", "Not possible for legal reasons.")
    with clock_at(start + timedelta(days=13)):
        assert db.session.scalars(ideas.waiting()).all() == []
    with clock_at(start + timedelta(days=15)):
        assert [i.id for i in db.session.scalars(ideas.waiting())] == [slow.id]
    heard = ideas.ideas_heard(start, start + timedelta(days=14))
    assert heard["ideas"] == 3 and heard["responded"] == 2
    assert heard["share_responded"] == pytest.approx(2 / 3)
    assert heard["median_hours_to_first_response"] == pytest.approx(15.0)
    assert heard["by_status"]["new"] == 1 and heard["by_status"]["planned"] == 1 and heard["by_status"]["declined"] == 1
    assert [(w["week"].isoformat(), w["posted"], w["responded"]) for w in heard["weekly"]] == [
        ("2026-01-05", 2, 1), ("2026-01-12", 1, 1)]


def test_settings(make):
    admin = make.user(role="admin")
    assert ideas.ideas_settings() == {"open_votes": 10, "waiting_days": 14}
    ideas.save_ideas_settings(admin, {"open_votes": 3, "waiting_days": 7})
    assert ideas.ideas_settings() == {"open_votes": 3, "waiting_days": 7}
    with pytest.raises(Invalid):
        ideas.save_ideas_settings(admin, {"open_votes": 0})
    with pytest.raises(Forbidden):
        ideas.save_ideas_settings(make.staff(), {"open_votes": 5})


def test_ideas_make_creators(make):
    from gamification.segments import classify

    a = make.user()
    new_idea(a)
    assert a.id in classify()["creator"]
