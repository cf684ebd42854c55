"""Keep the index in step with the posts: receivers write outbox rows, the drain indexes.

Receivers run inside the service transaction, so the outbox row commits or rolls back
with the change; the handler reads the current state, so replays and reordering are harmless.
"""

from support import events
from support.outbox import enqueue, handler

from . import service

TOPIC = "search.refresh"


def _enqueue(question_id) -> None:
    enqueue(TOPIC, {"question_id": question_id})


def _on_question(sender, question, **_):
    _enqueue(question.id)


def _on_accepted_answer(sender, answer, question, **_):
    # Only the accepted answer is indexed; other answers' changes do not touch the index.
    if answer.accepted_at is not None or question.accepted_answer_id == answer.id:
        _enqueue(question.id)


def _on_acceptance(sender, answer, question, **_):
    _enqueue(question.id)


def _on_vote(sender, target, target_type, **_):
    if target_type == "question":
        _enqueue(target.id)
    elif target.accepted_at is not None:
        _enqueue(target.question_id)


def connect() -> None:
    """Subscribe to the domain events that change what search shows."""
    for signal in (events.question_asked, events.question_edited, events.question_deleted):
        signal.connect(_on_question)
    events.answer_accepted.connect(_on_acceptance)
    events.answer_unaccepted.connect(_on_acceptance)
    events.answer_edited.connect(_on_accepted_answer)
    # Verified answers rank higher: a verification of the indexed answer changes its rank.
    events.answer_verified.connect(_on_accepted_answer)
    events.answer_unverified.connect(_on_accepted_answer)
    events.answer_deleted.connect(_on_acceptance)
    events.vote_cast.connect(_on_vote)


@handler(TOPIC, batch=True)
def refresh_from_outbox(payloads: list[dict]) -> None:
    """Carry out a drain's refresh rows: one index write for all their questions."""
    service.refresh(*{int(payload["question_id"]) for payload in payloads})
