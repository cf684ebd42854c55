"""Customer satisfaction: "How satisfied are you?" (1-5), asked once per solved thread or resolved escalation."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..database import transactional
from ..errors import Conflict, Forbidden, Invalid
from ..extensions import db
from ..models import CsatResponse, Escalation, Tag, User, question_tags
from . import validation
from .posts import get_question


def pending_subject(user, question) -> str | None:
    """The survey the asker still owes for this thread, if any.

    A thread that went to staff is rated on its latest resolved escalation (that is what
    the customer experienced); a thread the community solved is rated on the solution.
    """
    if user is None or not user.is_authenticated or question.author_id != user.id:
        return None
    resolved = db.session.scalar(
        select(Escalation.id).where(Escalation.question_id == question.id, Escalation.status == "resolved")
        .order_by(Escalation.resolved_at.desc()).limit(1)
    )
    if resolved is not None:
        subject = f"escalation:{resolved}"
    elif question.accepted_answer_id and not question.is_escalated:
        subject = f"question:{question.id}"
    else:
        return None
    answered = db.session.scalar(
        select(CsatResponse.id).where(CsatResponse.user_id == user.id, CsatResponse.subject == subject)
    )
    return None if answered else subject


@transactional
def record(user, question_id, score, comment=None) -> CsatResponse:
    """Store the asker's rating; a second rating of the same subject is refused (409)."""
    question = get_question(question_id)
    if question.author_id != user.id:
        raise Forbidden(_("Only the person who asked can rate how it went."))
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        msg = _("Choose a rating from 1 to 5.")
        raise Invalid(msg, fields={"score": msg})
    comment = validation.clean_text(comment)
    if len(comment) > 1000:
        msg = _("Please keep it under %(n)d characters.", n=1000)
        raise Invalid(msg, fields={"comment": msg})
    subject = pending_subject(user, question)
    if subject is None:
        raise Conflict(_("There is nothing to rate here, or you already told us. Thank you!"), code="already_rated")
    escalation = None
    if subject.startswith("escalation:"):
        escalation = db.session.get(Escalation, int(subject.split(":")[1]))
    response = CsatResponse(
        user_id=user.id, question_id=question.id, subject=subject, score=score, comment=comment or None,
        escalation_id=escalation.id if escalation else None,
        staff_id=escalation.assignee_id if escalation else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("There is nothing to rate here, or you already told us. Thank you!"), code="already_rated") from None
    return response


def _summary(rows):
    return [{"key": key, "responses": n, "average": round(float(avg), 2), "satisfied": round(sat / n, 3) if n else 0.0}
            for key, n, avg, sat in rows]


def _measures():
    satisfied = func.sum(db.case((CsatResponse.score >= 4, 1), else_=0))
    return func.count(CsatResponse.id), func.avg(CsatResponse.score), satisfied


def _in_period(stmt, start: datetime, end: datetime):
    return stmt.where(CsatResponse.created_at >= start, CsatResponse.created_at < end)


def weekly_trend(start: datetime, weeks: int) -> list[dict]:
    """Responses, average score and share of 4-5 ratings for each week from `start`."""
    rows = []
    for i in range(weeks):
        week_start = start + timedelta(weeks=i)
        n, avg, sat = db.session.execute(_in_period(select(*_measures()), week_start, week_start + timedelta(weeks=1))).one()
        rows.append({"week": week_start, "responses": n, "average": round(float(avg), 2) if n else None,
                     "satisfied": round((sat or 0) / n, 3) if n else None})
    return rows


def by_tag(start, end, limit=20) -> list[dict]:
    stmt = (select(Tag.name, *_measures()).join(question_tags, question_tags.c.question_id == CsatResponse.question_id)
            .join(Tag, Tag.id == question_tags.c.tag_id).group_by(Tag.name)
            .order_by(func.count(CsatResponse.id).desc(), Tag.name).limit(limit))
    return _summary(db.session.execute(_in_period(stmt, start, end)).all())


def by_staff(start, end) -> list[dict]:
    stmt = (select(User.username, *_measures()).join(User, User.id == CsatResponse.staff_id)
            .group_by(User.username).order_by(User.username))
    return _summary(db.session.execute(_in_period(stmt, start, end)).all())


def overall(start, end) -> dict:
    n, avg, sat = db.session.execute(_in_period(select(*_measures()), start, end)).one()
    community = db.session.scalar(_in_period(select(func.count(CsatResponse.id)).where(CsatResponse.escalation_id.is_(None)), start, end))
    return {"responses": n, "average": round(float(avg), 2) if n else None,
            "satisfied": round((sat or 0) / n, 3) if n else None, "community_responses": community,
            "staff_responses": n - community}
