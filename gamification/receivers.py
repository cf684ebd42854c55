"""Domain event receivers: points and badges, written inside the service's transaction."""

from support import events
from support.extensions import db
from support.models import Answer

from . import ledger
from .badges import evaluate, evaluate_many
from .rules import VOTE_REASONS

ACCEPT_REASONS = ("answer_accepted", "accepted_answer")


def on_user_registered(_sender, user, **_):
    ledger.award(user.id, "joined", source_type="user", source_id=user.id, key=f"joined:{user.id}")


def on_profile_updated(_sender, user, **_):
    evaluate("profile_updated", user.id)


def on_question_asked(_sender, question, actor, **_):
    evaluate("question_asked", actor.id, {"source": ("question", question.id)})


def on_answer_posted(_sender, answer, question, actor, **_):
    evaluate("answer_posted", actor.id, {"source": ("answer", answer.id), "answer_id": answer.id, "question_id": question.id,
                                         "tag_ids": [tag.id for tag in question.tags]})


def on_comment_posted(_sender, comment, actor, **_):
    evaluate("comment_posted", actor.id)


def on_post_edited(_sender, actor, **_):
    evaluate("post_edited", actor.id)


def on_vote_cast(_sender, voter, target, target_type, old, new, **_):
    """Undo the points of the voter's previous vote on this post, then award the new one.

    Badges are checked only where the vote can have earned one: the voter's when they
    cast one more vote or an upvote, the author's when the post's score went up (every
    vote badge grows with the score). The checks look at this post and its tags only.
    """
    if old:  # a first vote has nothing to undo
        ledger.reverse_all(
            ledger.live_entries(reasons=VOTE_REASONS, source_type=target_type, source_id=target.id, actor_id=voter.id),
            actor_id=voter.id,
        )
    author_id = target.author_id
    if new == 1:
        ledger.award(author_id, f"{target_type}_upvoted", source_type=target_type, source_id=target.id, actor_id=voter.id)
    elif new == -1 and target_type == "answer":
        ledger.award(author_id, "answer_downvoted", source_type="answer", source_id=target.id, actor_id=voter.id)
        ledger.award(voter.id, "downvoted_answer", source_type="answer", source_id=target.id, actor_id=voter.id)
    source = (target_type, target.id)
    checks = []
    if new == 1 or (new and not old):
        checks.append(("vote_given", voter.id, {"source": source, "value": new}))
    if new > old:
        checks.append(("vote_received", author_id, {
            "source": source, "target_type": target_type, "score": target.score,
            "tag_ids": ledger.tags_of_source(target_type, target.id),
        }))
    evaluate_many(checks)


def on_answer_accepted(_sender, answer, question, actor, **_):
    """+15 to the answerer and +2 to the asker, unless someone acts on their own content."""
    if answer.author_id != actor.id:
        ledger.award(answer.author_id, "answer_accepted", source_type="answer", source_id=answer.id, actor_id=actor.id)
    checks = [("answer_accepted", answer.author_id, {
        "source": ("answer", answer.id), "answer_id": answer.id, "tag_ids": ledger.tags_of_source("answer", answer.id),
    })]
    if actor.id == question.author_id and answer.author_id != actor.id:
        ledger.award(actor.id, "accepted_answer", source_type="answer", source_id=answer.id, actor_id=actor.id)
        checks.insert(0, ("accepted_own", actor.id, {"source": ("answer", answer.id), "accepted_for_own_question": True}))
    evaluate_many(checks)


def on_answer_unaccepted(_sender, answer, actor, **_):
    ledger.reverse_all(
        ledger.live_entries(reasons=ACCEPT_REASONS, source_type="answer", source_id=answer.id), actor_id=actor.id
    )


def on_answer_verified(_sender, answer, actor, **_):
    ledger.award(answer.author_id, "answer_verified", source_type="answer", source_id=answer.id, actor_id=actor.id)


def on_answer_unverified(_sender, answer, actor, **_):
    ledger.reverse_all(
        ledger.live_entries(reasons=("answer_verified",), source_type="answer", source_id=answer.id), actor_id=actor.id
    )


def _reverse_post(source_type, source_id, actor_id):
    ledger.reverse_all(
        ledger.live_entries(reasons=VOTE_REASONS | set(ACCEPT_REASONS) | {"answer_verified"},
                            source_type=source_type, source_id=source_id),
        actor_id=actor_id,
    )


def on_answer_deleted(_sender, answer, actor, **_):
    _reverse_post("answer", answer.id, actor.id)


def on_question_deleted(_sender, question, actor, **_):
    _reverse_post("question", question.id, actor.id)
    for answer_id in db.session.scalars(db.select(Answer.id).where(Answer.question_id == question.id)):
        _reverse_post("answer", answer_id, actor.id)


def connect() -> None:
    """Connect every receiver to its domain event."""
    events.user_registered.connect(on_user_registered)
    events.profile_updated.connect(on_profile_updated)
    events.question_asked.connect(on_question_asked)
    events.answer_posted.connect(on_answer_posted)
    events.comment_posted.connect(on_comment_posted)
    events.question_edited.connect(on_post_edited)
    events.answer_edited.connect(on_post_edited)
    events.vote_cast.connect(on_vote_cast)
    events.answer_accepted.connect(on_answer_accepted)
    events.answer_unaccepted.connect(on_answer_unaccepted)
    events.answer_verified.connect(on_answer_verified)
    events.answer_unverified.connect(on_answer_unverified)
    events.answer_deleted.connect(on_answer_deleted)
    events.question_deleted.connect(on_question_deleted)
