"""Tell people about escalations: the asker, the new owner, and the live staff queue."""

from .. import events
from ..models import User
from ..notify import notify, question_path
from ..outbox import enqueue
from ..extensions import db


def _live_staff(escalation, kind):
    # By id, not `escalation.assignee`: the services change assignee_id, and the loaded
    # relationship still names the previous owner (or nobody) until the row is reloaded.
    owner = db.session.get(User, escalation.assignee_id) if escalation.assignee_id else None
    enqueue("live", {"room": "staff", "event": "escalation", "data": {
        "id": escalation.id, "question_id": escalation.question_id, "kind": kind, "status": escalation.status,
        "title": escalation.question.title,
        "assignee": owner.username if owner else None,
        "sla_due_at": escalation.sla_due_at.isoformat(),
    }})


def on_escalation_changed(_sender, escalation, kind, actor, **_):
    question = escalation.question
    asker = question.author
    url = question_path(question.id)
    acted_by_asker = actor is not None and actor.id == asker.id
    if kind == "opened" and not acted_by_asker:
        # The moment, not its text: it is written in the customer's language when shown or sent.
        notify(asker, "escalation_opened", url, title=question.title, due=escalation.sla_due_at.isoformat())
    elif kind == "assigned":
        owner = db.session.get(User, escalation.assignee_id)
        notify(asker, "escalation_assigned", url, title=question.title, staff=owner.shown_name)
        if actor is None or owner.id != actor.id:
            notify(owner, "escalation_handed", f"/staff/escalations/{escalation.id}", title=question.title,
                   actor=actor.shown_name if actor else "Passaparola")
    elif kind == "resolved":
        notify(asker, "escalation_resolved", question_path(question.id, "csat"), title=question.title)
    _live_staff(escalation, kind)


def on_question_deleted(_sender, question, actor, **_):
    from ..services.escalations import close_for_removed_thread

    close_for_removed_thread(actor, question)


def on_answer_accepted(_sender, answer, question, actor, **_):
    """Staff accepted an answer for the asker: ask the asker how it went (they did not see it happen)."""
    if actor.id != question.author_id and not question.is_escalated:
        notify(question.author, "csat_request", question_path(question.id, "csat"), title=question.title)


def connect():
    events.escalation_changed.connect(on_escalation_changed)
    events.question_deleted.connect(on_question_deleted)
    events.answer_accepted.connect(on_answer_accepted)
