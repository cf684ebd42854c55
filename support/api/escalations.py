"""Support staff: escalations and their queue, verified answers, and the asker's rating (CSAT).

Staff-only endpoints check the role before reading anything, so a member learns neither
what an escalation holds nor whether it exists.
"""

from sqlalchemy import case, select

from ..models import Escalation, Question, Tag, question_tags
from ..models.staff import ESCALATION_STATUSES
from ..pagination import page_args, paginate
from ..permissions import require
from ..services import csat, escalations, official
from . import bp
from .auth import caller, login_required
from .parsing import json_body, query_choice, query_tag
from .serializers import (
    escalation_event_json,
    escalation_json,
    iso,
    page_json,
    question_summary_json,
    staff_note_json,
)


def _staff_caller():
    user = caller()
    require(user, "staff")
    return user


def escalation_queue(status=None, tag=None, assignee_id=None):
    """Return the select for the staff queue: active ones by SLA due time, resolved ones newest first."""
    stmt = select(Escalation).join(Question, Escalation.question_id == Question.id).where(Question.deleted_at.is_(None))
    if status:
        stmt = stmt.where(Escalation.status == status)
    if tag:
        stmt = stmt.where(
            Escalation.question_id.in_(select(question_tags.c.question_id).join(Tag).where(Tag.name == tag))
        )
    if assignee_id is not None:
        stmt = stmt.where(Escalation.assignee_id == assignee_id)
    resolved = Escalation.status == "resolved"
    # Without a status filter the active ones come first, the most urgent on top.
    return stmt.order_by(
        case((resolved, 1), else_=0),
        case((resolved, None), else_=Escalation.sla_due_at),
        Escalation.resolved_at.desc(),
        Escalation.id.desc(),
    )


@bp.post("/questions/<int:question_id>/escalate")
@login_required
def escalate(question_id):
    """Hand a thread to support staff (the asker's "I still need help", or staff)."""
    reason = json_body(optional={"reason": str})["reason"] or ""
    return {"escalation": escalation_json(escalations.escalate(caller(), question_id, reason))}, 201


@bp.get("/escalations")
@login_required
def escalation_list():
    """List escalations for staff, filtered by status, tag and owner."""
    user = _staff_caller()
    status = query_choice("status", ESCALATION_STATUSES)
    mine = query_choice("mine", ("true", "false"), default="false") == "true"
    stmt = escalation_queue(status, query_tag(), user.id if mine else None)
    return page_json(paginate(stmt, *page_args()), escalation_json)


@bp.get("/escalations/<int:escalation_id>")
@login_required
def escalation(escalation_id):
    """Return an escalation with the thread's private staff notes and its timeline."""
    _staff_caller()
    found = escalations.get_escalation(escalation_id)
    return {
        "escalation": escalation_json(found),
        "question": question_summary_json(found.question),
        "notes": [staff_note_json(note) for note in escalations.notes_for(found.question_id)],
        "events": [escalation_event_json(event) for event in escalations.timeline(found.id)],
    }


@bp.patch("/escalations/<int:escalation_id>")
@login_required
def update_escalation(escalation_id):
    """Change an escalation's status or owner, and/or add a private note; all or nothing."""
    user = _staff_caller()
    data = json_body(optional={"status": str, "assignee_id": int, "note": str, "resolution": str})
    return {"escalation": escalation_json(escalations.update_escalation(user, escalation_id, **data))}


def _verification(answer) -> dict:
    return {"answer_id": answer.id, "verified": answer.verified_at is not None, "verified_at": iso(answer.verified_at)}


@bp.post("/answers/<int:answer_id>/verify")
@login_required
def verify(answer_id):
    """Mark a member's answer as verified by staff (its author earns the verification points)."""
    return _verification(official.verify_answer(_staff_caller(), answer_id))


@bp.delete("/answers/<int:answer_id>/verify")
@login_required
def unverify(answer_id):
    """Withdraw a staff verification (its points are reversed)."""
    return _verification(official.unverify_answer(_staff_caller(), answer_id))


@bp.post("/questions/<int:question_id>/csat")
@login_required
def rate(question_id):
    """Record the asker's "How satisfied are you?" (1-5), once per solution or resolution."""
    data = json_body(required={"score": int}, optional={"comment": str})
    response = csat.record(caller(), question_id, data["score"], data["comment"])
    return {"score": response.score, "subject": response.subject, "created_at": iso(response.created_at)}, 201
