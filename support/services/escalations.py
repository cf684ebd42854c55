"""Escalations: a thread handed to support staff, worked through a small state machine.

    open ──assign──▶ assigned ──resolve──▶ resolved
      └──────────────resolve──────────────▲
    assigned ──assign (someone else)──▶ assigned

An escalated customer always has an owner once staff touch the thread: an assigned
escalation can change hands but never goes back to nobody, and resolving an open one
makes the resolver its owner. Resolved is final; a customer who still needs help opens
a new escalation (a new SLA clock). Anything else is refused with Conflict (409).
"""

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import events
from ..database import transactional
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Answer, Escalation, EscalationEvent, Question, StaffNote, User
from ..models.base import utcnow
from ..models.staff import RESOLUTIONS
from ..permissions import require
from ..sla import sla_delta
from ..text import render_markdown
from . import validation
from .posts import get_question

# (from, to) pairs the state machine allows; "assigned -> assigned" is a hand-over.
TRANSITIONS = {
    ("open", "assigned"),
    ("open", "resolved"),
    ("assigned", "assigned"),
    ("assigned", "resolved"),
}


def open_escalation(question_id) -> Escalation | None:
    """Return the thread's unresolved escalation, if any."""
    return db.session.scalar(
        select(Escalation).where(Escalation.question_id == question_id, Escalation.status != "resolved")
    )


def get_escalation(escalation_id, *, lock=False) -> Escalation:
    stmt = select(Escalation).where(Escalation.id == escalation_id)
    if lock:
        stmt = stmt.with_for_update(of=Escalation)
    escalation = db.session.scalar(stmt) if validation.is_id(escalation_id) else None
    if escalation is None or escalation.question.deleted_at is not None:
        raise NotFound(_("This escalation does not exist."))
    return escalation


def _log(escalation, actor, kind, from_status=None, to_status=None, assignee_id=None):
    db.session.add(EscalationEvent(
        escalation_id=escalation.id, actor_id=actor.id if actor else None, kind=kind,
        from_status=from_status, to_status=to_status, assignee_id=assignee_id,
    ))


def _reason(value) -> str:
    value = validation.clean_text(value)
    if len(value) > 2000:
        msg = _("Please keep it under %(n)d characters.", n=2000)
        raise Invalid(msg, fields={"reason": msg})
    return value


@transactional
def escalate(actor, question_id, reason="", *, source=None) -> Escalation:
    """Hand a thread to staff: the asker ("I still need help"), staff, or the ladder (actor None)."""
    question = get_question(question_id, lock=True)
    if actor is not None:
        require(actor, "escalate", question)
    reason = _reason(reason)
    if source is None:
        source = "sla" if actor is None else ("asker" if actor.id == question.author_id else "staff")
    if question.is_escalated or open_escalation(question.id) is not None:
        raise Conflict(_("This question is already with support staff."), code="already_escalated")
    if source == "asker" and question.accepted_answer_id:
        raise Conflict(_("Your question is marked as solved. If the accepted answer did not help, withdraw "
                         "the acceptance first, then ask our support team."), code="already_solved")
    now = utcnow()
    escalation = Escalation(
        question_id=question.id, status="open", source=source, reason=reason,
        created_by_id=actor.id if actor else None, created_at=now, sla_due_at=now + sla_delta(),
    )
    try:
        # A savepoint: the partial unique index is the last word when two requests race
        # past the check above (SQLite serialises writers; PostgreSQL may not).
        with db.session.begin_nested():
            db.session.add(escalation)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("This question is already with support staff."), code="already_escalated") from None
    db.session.execute(update(Question).where(Question.id == question.id).values(is_escalated=True, last_activity_at=now))
    _log(escalation, actor, "opened", None, "open")
    db.session.refresh(question)
    events.escalation_changed.send(None, escalation=escalation, kind="opened", actor=actor)
    return escalation


def _staff_member(assignee_id) -> User:
    user = db.session.get(User, assignee_id) if validation.is_id(assignee_id) else None
    if user is None or not user.is_staff or not user.is_active:
        msg = _("Choose a member of the support staff.")
        raise Invalid(msg, fields={"assignee_id": msg})
    return user


def _refuse(escalation, to_status):
    names = {"open": _("open"), "assigned": _("assigned"), "resolved": _("resolved")}
    if escalation.status == "resolved":
        message = _("This escalation is already resolved; the customer can ask for help again, which opens a new one.")
    elif to_status == "open" and escalation.status != "open":
        message = _("An escalation that has an owner cannot go back to nobody: hand it to another staff member instead.")
    else:
        message = _("An escalation cannot go from %(a)s to %(b)s.", a=names[escalation.status], b=names[to_status])
    raise Conflict(message, code="illegal_transition")


def infer_resolution(question: Question) -> str:
    """Guess how a thread was resolved: by the accepted answer, else any staff answer, else outside."""
    if question.accepted_answer_id:
        answer = db.session.get(Answer, question.accepted_answer_id)
        return "staff_answer" if answer is not None and answer.is_official else "community_answer"
    official = db.session.scalar(
        select(Answer.id).where(Answer.question_id == question.id, Answer.is_official.is_(True),
                                Answer.deleted_at.is_(None)).limit(1)
    )
    return "staff_answer" if official else "outside"


@transactional
def update_escalation(actor, escalation_id, *, status=None, assignee_id=None, note=None, resolution=None) -> Escalation:
    """Change an escalation as PATCH /api/v1/escalations/{id} does: owner, status, a note.

    The whole change happens or none of it: an illegal transition also drops the note.
    """
    require(actor, "staff")
    escalation = get_escalation(escalation_id, lock=True)
    if status is not None and status not in ("open", "assigned", "resolved"):
        msg = _("Status must be open, assigned or resolved.")
        raise Invalid(msg, fields={"status": msg})
    if resolution is not None and resolution not in RESOLUTIONS:
        msg = _("Resolution must be community_answer, staff_answer or outside.")
        raise Invalid(msg, fields={"resolution": msg})
    if status is None and assignee_id is None and note is None:
        raise Invalid(_("Nothing to change: send status, assignee_id or note."))
    new_owner = _staff_member(assignee_id) if assignee_id is not None else None
    if status is None and new_owner is not None:
        status = "assigned"
    if status is not None:
        if status == "assigned" and new_owner is None:
            new_owner = actor  # "take it": assigned with no one named means to me
        if (escalation.status, status) not in TRANSITIONS:
            _refuse(escalation, status)
    if note is not None:
        add_note(actor, escalation.question_id, note, escalation=escalation)
    if status == "assigned":
        _assign(actor, escalation, new_owner)
    elif status == "resolved":
        _resolve(actor, escalation, resolution or infer_resolution(escalation.question), new_owner)
    return escalation


def _assign(actor, escalation, owner):
    if escalation.assignee_id == owner.id:
        return  # taking what is already yours changes nothing (double clicks)
    before = escalation.status
    escalation.status = "assigned"
    escalation.assignee_id = owner.id
    escalation.assigned_at = utcnow()
    db.session.flush()
    _log(escalation, actor, "assigned", before, "assigned", owner.id)
    events.escalation_changed.send(None, escalation=escalation, kind="assigned", actor=actor)


def _resolve(actor, escalation, resolution, owner=None):
    before = escalation.status
    now = utcnow()
    escalation.status = "resolved"
    escalation.assignee_id = owner.id if owner else (escalation.assignee_id or actor.id)
    escalation.assigned_at = escalation.assigned_at or now
    escalation.resolved_at = now
    escalation.resolution = resolution
    escalation.resolved_by_id = actor.id
    db.session.flush()
    db.session.execute(
        update(Question).where(Question.id == escalation.question_id).values(is_escalated=False, last_activity_at=now)
    )
    db.session.refresh(escalation.question)
    _log(escalation, actor, "resolved", before, "resolved", escalation.assignee_id)
    events.escalation_changed.send(None, escalation=escalation, kind="resolved", actor=actor)


@transactional
def close_for_removed_thread(actor, question) -> None:
    """A thread staff removed while it was escalated: its escalation ends with it ("outside")."""
    escalation = open_escalation(question.id)
    if escalation is not None:
        _resolve(actor, escalation, "outside")


@transactional
def take(actor, escalation_id) -> Escalation:
    """Assign an escalation to oneself; refused (409) when a colleague already took it.

    Two staff clicking "take" together must not silently steal it from each other: the
    second sees who has it. Handing over stays explicit (update_escalation with assignee_id).
    """
    require(actor, "staff")
    escalation = get_escalation(escalation_id, lock=True)
    if escalation.status == "assigned" and escalation.assignee_id != actor.id:
        # By id: after waiting for the row lock, PostgreSQL re-reads the escalation but
        # not the joined owner, so `escalation.assignee` may still be nobody.
        owner = db.session.get(User, escalation.assignee_id)
        raise Conflict(_("%(name)s is already looking after this escalation.", name=owner.shown_name),
                       code="already_taken")
    return update_escalation(actor, escalation_id, status="assigned", assignee_id=actor.id)


def resolve(actor, escalation_id, resolution, note=None) -> Escalation:
    return update_escalation(actor, escalation_id, status="resolved", resolution=resolution, note=note)


@transactional
def add_note(actor, question_id, body, *, escalation=None) -> StaffNote:
    """Write a private staff note on a thread (attached to its open escalation, if any)."""
    require(actor, "see_staff_notes")
    question = get_question(question_id)
    body = validation.check_length("note", body, 2, 5000)
    if escalation is None:
        escalation = open_escalation(question.id)
    note = StaffNote(question_id=question.id, escalation_id=escalation.id if escalation else None,
                     author_id=actor.id, body=body, body_html=render_markdown(body))
    db.session.add(note)
    db.session.flush()
    if escalation is not None:
        _log(escalation, actor, "noted")
        events.escalation_changed.send(None, escalation=escalation, kind="noted", actor=actor, note=note)
    return note


def notes_for(question_id) -> list[StaffNote]:
    return db.session.scalars(
        select(StaffNote).where(StaffNote.question_id == question_id).order_by(StaffNote.created_at, StaffNote.id)
    ).all()


def timeline(escalation_id) -> list[EscalationEvent]:
    return db.session.scalars(
        select(EscalationEvent).where(EscalationEvent.escalation_id == escalation_id)
        .order_by(EscalationEvent.created_at, EscalationEvent.id)
    ).all()


def staff_members() -> list[User]:
    return db.session.scalars(
        select(User).where(User.role.in_(("staff", "admin")), User.is_active_account.is_(True)).order_by(User.username)
    ).all()
