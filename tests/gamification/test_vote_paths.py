"""The fast write paths keep their meaning: what a vote or an acceptance checks and returns."""

from sqlalchemy import select, update

from gamification import ledger
from gamification.models import BadgeAward, PointsEntry
from support.extensions import db
from support.models import Answer, User
from support.services import accept, votes


def tag_badges(user):
    return sorted(db.session.execute(
        select(BadgeAward.badge, BadgeAward.tag_name).where(BadgeAward.user_id == user.id, BadgeAward.tag_key != 0)
    ).all())


def test_a_vote_checks_the_tag_badges_of_the_voted_thread(make):
    helper = make.user()
    for tag in ("sim", "roaming"):
        for _ in range(20):
            make.answer(make.question(tags=(tag,)), author=helper)
    # Both tags now hold 20 answers with a score of 100 (the bronze rule), none awarded yet.
    db.session.execute(update(Answer).where(Answer.author_id == helper.id).values(score=5))
    db.session.commit()
    in_sim = db.session.scalar(select(Answer.id).where(Answer.author_id == helper.id).order_by(Answer.id))
    votes.cast_vote(make.user(), "answer", in_sim, 1)
    assert tag_badges(helper) == [("tag-bronze", "sim")]  # the vote happened in "sim" only


def test_lowering_or_retracting_a_vote_grants_nothing_to_the_author(make):
    author, voter = make.user(), make.user(points=200)
    answer = make.answer(make.question(), author=author)
    votes.cast_vote(voter, "answer", answer.id, 1)
    held = set(db.session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == author.id)))
    assert "nice-answer" in held
    db.session.execute(BadgeAward.__table__.delete().where(BadgeAward.user_id == author.id))
    db.session.commit()
    votes.cast_vote(voter, "answer", answer.id, -1)
    votes.cast_vote(voter, "answer", answer.id, 0)
    assert db.session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == author.id)).all() == []


def test_acceptance_returns_the_state_it_wrote_without_a_reload(make, doctor):
    asker = make.user()
    question = make.question(author=asker)
    first, second = make.answer(question), make.answer(question)
    accept.accept_answer(asker, first.id)
    moved = accept.accept_answer(asker, second.id)
    assert moved.accepted_at is not None
    assert moved.question.accepted_answer_id == second.id and moved.question.status == "solved"
    assert db.session.get(Answer, first.id).accepted_at is None
    withdrawn = accept.unaccept_answer(asker, second.id)
    assert withdrawn.accepted_at is None and withdrawn.question.accepted_answer_id is None
    doctor()


def test_a_replayed_award_or_reversal_adds_nothing(make, doctor):
    member = make.user()
    entry = ledger.award(member.id, "idea_delivered", source_type="idea", source_id=7, key="idea:7")
    assert ledger.award(member.id, "idea_delivered", source_type="idea", source_id=7, key="idea:7") is None
    stored = db.session.get(PointsEntry, entry.id)
    assert ledger.reverse(stored) is not None
    assert ledger.reverse(stored) is None
    db.session.commit()
    assert db.session.get(User, member.id).points == 1
    doctor()
