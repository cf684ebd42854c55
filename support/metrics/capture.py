"""Capture the deflection events of a question page: the view beacon and the two prompts.

A view is recorded only when the page's beacon says it was visible for `T_dwell`
seconds, from a browser, for a thread that exists: one insert, nothing else on the
request path (members also teach the site their interests in the same transaction).
Rendering the page never writes. The prompts' answers are upserts: the last one wins.
"""

import math

from flask import flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, exists, select

from search.flows import COOKIE, visitor_key

from ..database import transactional
from ..errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from ..extensions import db, limiter
from ..models import Answer, Question
from ..models.base import utcnow
from ..models.metrics import CONTACT_ANSWERS, ContactFeedback, SolvedFeedback, ThreadView
from ..services import interests
from . import bp
from .config import deflection_config
from .useragent import RECORDED, classify

MAX_DWELL = 32767  # the column is a SMALLINT; a longer visit is still one view
COOKIE_AGE = 180 * 86400
_YES_NO = {True: True, False: False, "yes": True, "no": False, "true": True, "false": False}


# --- services -----------------------------------------------------------------------------

def _member(user):
    return user if user is not None and user.is_authenticated else None


def viewer_role(question, user) -> str | None:
    """Return author, staff or answerer when the viewer is an insider of the thread, else None."""
    user = _member(user)
    if user is None:
        return None
    if user.id == question.author_id:
        return "author"
    if user.is_staff:
        return "staff"
    answered = db.session.scalar(
        select(exists().where(Answer.question_id == question.id, Answer.author_id == user.id)))
    return "answerer" if answered else None


@transactional
def record_view(question_id: int, key: str, user, ua_class: str, dwell: int) -> bool:
    """Record one confirmed view of a thread; return False when the thread does not exist."""
    question = db.session.get(Question, question_id)
    if question is None or question.deleted_at is not None:
        return False
    user = _member(user)
    db.session.add(ThreadView(
        question_id=question.id, visitor_key=key, user_id=user.id if user else None,
        accepted_answer_id=question.accepted_answer_id, viewer_role=viewer_role(question, user),
        ua_class=ua_class, dwell_seconds=min(dwell, MAX_DWELL),
    ))
    if user is not None:
        interests.record_read(user, question.id)  # joins this transaction
    return True


def _upsert(model, keys: dict, values: dict) -> None:
    """Insert a feedback row or overwrite the visitor's earlier answer, on either database."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(model).values(**keys, **values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=values))


def _solved_question(question_id) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.deleted_at is not None:
        raise NotFound(_("This question does not exist."))
    if question.accepted_answer_id is None:
        raise Conflict(_("This question has no accepted answer yet."))
    return question


def parse_solved(value) -> bool:
    """Return the yes/no of the solved-it prompt, or raise Invalid."""
    if isinstance(value, str):
        value = value.strip().lower()
    if not isinstance(value, (bool, str)) or value not in _YES_NO:
        raise Invalid(_("Answer yes or no."), fields={"solved": _("Answer yes or no.")})
    return _YES_NO[value]


def parse_contact(value) -> str:
    """Return yes, no or not_sure for the would-have-contacted prompt, or raise Invalid."""
    if isinstance(value, str):
        value = value.strip().lower().replace(" ", "_").replace("-", "_")
    if value not in CONTACT_ANSWERS:
        raise Invalid(_("Answer yes, no or not sure."), fields={"answer": _("Answer yes, no or not sure.")})
    return value


@transactional
def answer_solved(question_id: int, key: str, user, solved: bool) -> None:
    """Store a reader's answer to "Did this solve your problem?" (the last one wins)."""
    question = _solved_question(question_id)
    user = _member(user)
    if viewer_role(question, user) is not None:
        raise Forbidden(_("Only readers are asked this; thank you for taking part in the thread."))
    _upsert(SolvedFeedback, {"question_id": question.id, "visitor_key": key},
            {"user_id": user.id if user else None, "solved": solved, "answered_at": utcnow()})


@transactional
def answer_contact(question_id: int, key: str, user, answer: str) -> str:
    """Store "would you have contacted support?" from the asker or a reader who said yes; return the source."""
    question = _solved_question(question_id)
    user = _member(user)
    role = viewer_role(question, user)
    if role == "author":
        source, key = "asker", f"u:{user.id}"
    elif role is not None:
        raise Forbidden(_("Only readers are asked this; thank you for taking part in the thread."))
    else:
        source = "reader"
        said_yes = db.session.scalar(select(SolvedFeedback.solved).where(
            SolvedFeedback.question_id == question.id, SolvedFeedback.visitor_key == key))
        if not said_yes:
            raise Conflict(_("This question follows a “yes” to “Did this solve your problem?”."))
    _upsert(ContactFeedback, {"question_id": question.id, "visitor_key": key, "source": source},
            {"user_id": user.id if user else None, "answer": answer, "answered_at": utcnow()})
    return source


def _known_key() -> str | None:
    """The visitor's key without making one up (rendering a page sets no cookie)."""
    key, fresh = visitor_key()
    return None if fresh else key


def deflection_prompt(question) -> str | None:
    """Return which prompt the current visitor sees on a question page: solved, contact, asker or None.

    One query at most: the visitor's earlier answers and whether they answered in the thread.
    """
    if question.accepted_answer_id is None:
        return None
    user = _member(current_user)
    if user is not None and user.id == question.author_id:
        asked = db.session.scalar(select(ContactFeedback.id).where(
            ContactFeedback.question_id == question.id, ContactFeedback.visitor_key == f"u:{user.id}",
            ContactFeedback.source == "asker"))
        return None if asked else "asker"
    if user is not None and user.is_staff:
        return None
    key = _known_key()
    if key is None:
        return "solved"
    solved = select(SolvedFeedback.solved).where(
        SolvedFeedback.question_id == question.id, SolvedFeedback.visitor_key == key).scalar_subquery()
    contact = exists().where(ContactFeedback.question_id == question.id, ContactFeedback.visitor_key == key,
                             ContactFeedback.source == "reader")
    answered = (exists().where(and_(Answer.question_id == question.id, Answer.author_id == user.id))
                if user is not None else None)
    row = db.session.execute(select(solved, contact, answered) if answered is not None
                             else select(solved, contact)).one()
    if answered is not None and row[2]:
        return None
    if row[0] is None:
        return "solved"
    return "contact" if row[0] and not row[1] else None


@bp.app_context_processor
def _prompt_helpers():
    return {"deflection_prompt": deflection_prompt,
            "deflection_dwell": lambda: deflection_config()["dwell_seconds"]}


# --- routes -------------------------------------------------------------------------------

def _limit_key() -> str:
    key = _known_key()
    return key or f"ip:{request.remote_addr}"


def _with_cookie(response, fresh):
    if fresh:
        response.set_cookie(COOKIE, fresh, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


def _number(value, low, high):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value if low <= value <= high else None


@bp.post("/beacon/view")
@limiter.limit("120 per minute", key_func=lambda: f"beacon:{_limit_key()}")
def view_beacon():
    """The page's beacon: this thread was visible for `dwell` seconds."""
    ua_class = classify(request.headers.get("User-Agent"))
    if ua_class not in RECORDED:
        return "", 204  # bots and unknown clients: rejected at the door, nothing written
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error={"code": "malformed", "message": _("Send question_id and dwell as JSON.")}), 400
    question_id = _number(data.get("question_id"), 1, 2**31 - 1)
    dwell = _number(data.get("dwell"), 0, 10**7)
    if not isinstance(question_id, int) or dwell is None:
        return jsonify(error={"code": "malformed", "message": _("Send question_id and dwell as JSON.")}), 400
    if dwell < deflection_config()["dwell_seconds"]:
        return "", 204
    key, fresh = visitor_key()
    if not record_view(question_id, key, current_user, ua_class, int(dwell)):
        return jsonify(error={"code": "not_found", "message": _("This question does not exist.")}), 404
    return _with_cookie(make_response("", 204), fresh)


def _feedback(question_id, field, parse, service, next_step, thanks):
    """Parse a prompt's answer from JSON or a form, call the service, answer in kind."""
    as_json = request.is_json
    data = request.get_json(silent=True) if as_json else request.form
    back = url_for("qa.question", question_id=question_id, _anchor="deflection-prompt")
    key, fresh = visitor_key()
    try:
        if not hasattr(data, "get"):
            raise ServiceError(_("Send the answer as JSON or a form."), code="malformed")
        value = parse(data.get(field))
        service(question_id, key, current_user, value)
    except ServiceError as exc:
        if as_json:
            return jsonify(error={"code": exc.code, "message": exc.message, "fields": exc.fields}), exc.status
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(back)
    step = next_step(value)
    if as_json:
        return _with_cookie(jsonify(ok=True, next=step, message=thanks(step)), fresh)
    flash(thanks(step), "success")
    return _with_cookie(redirect(back), fresh)


@bp.post("/questions/<int:question_id>/solved-it")
@limiter.limit("60 per minute", key_func=lambda: f"prompt:{_limit_key()}")
def solved_it(question_id):
    """Did this solve your problem? yes / no."""
    return _feedback(
        question_id, "solved", parse_solved, answer_solved,
        lambda solved: "contact" if solved else "done",
        lambda step: _("Glad it helped! One more question:") if step == "contact"
        else _("Thank you; this tells the community where answers fall short."),
    )


@bp.post("/questions/<int:question_id>/would-have-contacted")
@limiter.limit("60 per minute", key_func=lambda: f"prompt:{_limit_key()}")
def would_have_contacted(question_id):
    """Without this answer, would you have contacted support? yes / no / not sure."""
    return _feedback(
        question_id, "answer", parse_contact, answer_contact,
        lambda _answer: "done",
        lambda _step: _("Thank you! This helps us show what the community is worth."),
    )
