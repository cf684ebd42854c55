"""Ask, answer, comment, edit and delete: the writes that create content."""

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import events
from ..database import transactional
from ..errors import Conflict, NotFound
from ..extensions import db
from ..language import detect_language
from ..limits import check_post_quota
from ..models import Answer, Comment, Question, Revision
from ..models.base import utcnow
from ..permissions import require
from ..text import render_markdown
from . import validation
from .tags import count_questions, get_or_create_tags


def get_question(question_id, *, lock=False) -> Question:
    """Return a visible question or raise NotFound."""
    stmt = select(Question).where(Question.id == question_id, Question.deleted_at.is_(None))
    if lock:
        stmt = stmt.with_for_update()
    question = db.session.scalar(stmt) if validation.is_id(question_id) else None
    if question is None:
        raise NotFound(_("This question does not exist or was removed."))
    return question


def get_answer(answer_id, *, lock=False) -> Answer:
    """Return a visible answer (on a visible question) or raise NotFound."""
    stmt = (
        select(Answer)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.id == answer_id, Answer.deleted_at.is_(None), Question.deleted_at.is_(None))
    )
    if lock:
        stmt = stmt.with_for_update(of=Answer)
    answer = db.session.scalar(stmt) if validation.is_id(answer_id) else None
    if answer is None:
        raise NotFound(_("This answer does not exist or was removed."))
    return answer


def _language(text, author):
    return detect_language(text, fallback=author.locale or "it")


def _add_revision(editor, *, question=None, answer=None, title=None, tags=None, body, summary=None):
    column = Revision.question_id if question else Revision.answer_id
    target_id = question.id if question else answer.id
    number = (db.session.scalar(select(func.max(Revision.number)).where(column == target_id)) or 0) + 1
    db.session.add(
        Revision(
            question_id=question.id if question else None,
            answer_id=answer.id if answer else None,
            editor_id=editor.id,
            number=number,
            title=title,
            tags=" ".join(tags) if tags is not None else None,
            body=body,
            summary=validation.clean_text(summary)[:200] or None,
        )
    )


@transactional
def ask_question(author, title, body, tags) -> Question:
    """Publish a new question with 1-5 tags."""
    require(author, "ask")
    title = validation.title(title)
    body = validation.body(body)
    names = validation.tags(tags)
    check_post_quota(author, "question", body)
    question = Question(
        author_id=author.id,
        title=title,
        body=body,
        body_html=render_markdown(body),
        language=_language(f"{title}\n{body}", author),
        tags=get_or_create_tags(names),
    )
    db.session.add(question)
    db.session.flush()
    count_questions([t.id for t in question.tags], +1)
    _add_revision(author, question=question, title=title, tags=names, body=body)
    events.question_asked.send(None, question=question, actor=author)
    return question


@transactional
def edit_question(editor, question_id, title=None, body=None, tags=None, summary=None) -> Question:
    """Change a question's title, body or tags, keeping the previous version."""
    question = get_question(question_id, lock=True)
    require(editor, "edit", question)
    before = (question.title, question.body, [t.name for t in question.tags])
    new_title = validation.title(title) if title is not None else question.title
    new_body = validation.body(body) if body is not None else question.body
    new_tags = validation.tags(tags) if tags is not None else before[2]
    if (new_title, new_body, new_tags) == before:
        return question  # nothing changed: no new version, no "edited" mark
    question.title = new_title
    if new_body != question.body:
        question.body = new_body
        question.body_html = render_markdown(new_body)
    if new_tags != before[2]:
        old_ids = {t.id for t in question.tags}
        question.tags = get_or_create_tags(new_tags)
        new_ids = {t.id for t in question.tags}
        count_questions(old_ids - new_ids, -1)
        count_questions(new_ids - old_ids, +1)
    question.language = _language(f"{question.title}\n{question.body}", question.author)
    question.edited_at = utcnow()
    _add_revision(
        editor, question=question, title=question.title, tags=[t.name for t in question.tags],
        body=question.body, summary=summary,
    )
    events.question_edited.send(None, question=question, actor=editor)
    return question


@transactional
def delete_question(actor, question_id) -> None:
    """Remove a question: its author while it has no answers, staff at any time."""
    question = get_question(question_id, lock=True)
    require(actor, "delete", question)
    if not actor.is_staff and question.answer_count:
        raise Conflict(_("A question that has answers cannot be deleted by its author; ask staff."))
    if not actor.is_staff and question.is_escalated:
        raise Conflict(_("This question is with our support team; they can close it for you."))
    question.deleted_at = utcnow()
    count_questions([t.id for t in question.tags], -1)
    events.question_deleted.send(None, question=question, actor=actor)


@transactional
def post_answer(author, question_id, body) -> Answer:
    """Answer a question."""
    question = get_question(question_id)
    require(author, "answer", question)
    body = validation.body(body, minimum=10)
    check_post_quota(author, "answer", body)
    now = utcnow()
    answer = Answer(
        question_id=question.id,
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
        language=_language(body, author),
        is_official=author.is_staff,
        created_at=now,
    )
    db.session.add(answer)
    db.session.execute(
        update(Question)
        .where(Question.id == question.id)
        .values(answer_count=Question.answer_count + 1, last_activity_at=now)
    )
    db.session.flush()
    _add_revision(author, answer=answer, body=body)
    events.answer_posted.send(None, answer=answer, question=question, actor=author)
    return answer


@transactional
def edit_answer(editor, answer_id, body, summary=None) -> Answer:
    """Change an answer's text, keeping the previous version."""
    answer = get_answer(answer_id, lock=True)
    require(editor, "edit", answer)
    new_body = validation.body(body, minimum=10)
    if new_body == answer.body:
        return answer  # nothing changed: no new version, no "edited" mark
    answer.body = new_body
    answer.body_html = render_markdown(answer.body)
    answer.language = _language(answer.body, answer.author)
    answer.edited_at = utcnow()
    _add_revision(editor, answer=answer, body=answer.body, summary=summary)
    events.answer_edited.send(None, answer=answer, question=answer.question, actor=editor)
    return answer


@transactional
def delete_answer(actor, answer_id) -> None:
    """Remove an answer; an accepted one loses its acceptance first."""
    from .accept import unaccept_answer

    answer = get_answer(answer_id, lock=True)
    require(actor, "delete", answer)
    if answer.accepted_at is not None:
        unaccept_answer(actor, answer.id, _skip_permission=True)
    answer.deleted_at = utcnow()
    db.session.execute(
        update(Question).where(Question.id == answer.question_id).values(answer_count=Question.answer_count - 1)
    )
    events.answer_deleted.send(None, answer=answer, question=answer.question, actor=actor)


@transactional
def post_comment(author, body, *, question_id=None, answer_id=None) -> Comment:
    """Comment on a question or an answer."""
    target = get_question(question_id) if question_id is not None else get_answer(answer_id)
    require(author, "comment", target)
    body = validation.comment_body(body)
    question = target if isinstance(target, Question) else target.question
    comment = Comment(
        question_id=question_id if question_id is not None else None,
        answer_id=answer_id if answer_id is not None else None,
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
    )
    db.session.add(comment)
    db.session.execute(update(Question).where(Question.id == question.id).values(last_activity_at=utcnow()))
    db.session.flush()
    events.comment_posted.send(None, comment=comment, question=question, actor=author)
    return comment
