"""The doctor's checks for escalations (I5, second half)."""

from sqlalchemy import func, select

from ..doctor import register
from ..extensions import db
from ..models import Escalation, Question


@register("I5 at most one open escalation per thread; the thread's flag agrees")
def one_open_escalation():
    problems = []
    rows = db.session.execute(
        select(Escalation.question_id, func.count()).where(Escalation.status != "resolved")
        .group_by(Escalation.question_id).having(func.count() > 1)
    ).all()
    problems += [f"question {q} has {n} open escalations" for q, n in rows]
    open_ids = select(Escalation.question_id).where(Escalation.status != "resolved")
    rows = db.session.scalars(select(Question.id).where(Question.is_escalated.is_(True), Question.id.not_in(open_ids))).all()
    problems += [f"question {q} is marked escalated but has no open escalation" for q in rows]
    rows = db.session.scalars(select(Question.id).where(Question.is_escalated.is_(False), Question.id.in_(open_ids))).all()
    problems += [f"question {q} has an open escalation but is not marked escalated" for q in rows]
    rows = db.session.execute(
        select(Escalation.id, Escalation.status).where(
            ((Escalation.status == "open") & Escalation.assignee_id.is_not(None))
            | ((Escalation.status != "open") & Escalation.assignee_id.is_(None))
        )
    ).all()
    problems += [f"escalation {e} is {s} but its owner does not match" for e, s in rows]
    return problems
