"""Models to the JSON objects of API.md (their schemas are in openapi.py)."""

from datetime import UTC

from flask import current_app, url_for

from ..models.base import utcnow
from ..notify import render
from ..qa.routes import answer_url
from ..queries import answers_for, comments_for, my_votes, user_stats
from ..ranks import rank_for

# What a member shows before the gamification package has anything to say about them.
USER_DEFAULTS = {"segment": "viewer", "badges": []}


def iso(moment) -> str | None:
    """Return a timestamp as ISO 8601 in UTC (e.g. 2025-01-31T09:30:00.000Z), or None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def author_json(user) -> dict:
    """Return the short form of a member shown next to every post."""
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "points": user.points,
        "rank": rank_for(user.points).slug,
        "url": url_for("users.profile", user_id=user.id),
    }


def user_json(user, *, private: bool = False) -> dict:
    """Return a member's public profile; `private` adds the email (only for oneself)."""
    data = {**author_json(user), **USER_DEFAULTS, "stats": user_stats(user.id)}
    # Other packages (gamification) add their fields without this module importing them.
    for provider in current_app.extensions.get("user_extras", []):
        data.update(provider(user))
    if private:
        data["email"] = user.email
    return data


def comment_json(comment) -> dict:
    """Return a comment."""
    return {
        "id": comment.id,
        "question_id": comment.question_id,
        "answer_id": comment.answer_id,
        "body": comment.body,
        "body_html": comment.body_html,
        "author": author_json(comment.author),
        "created_at": iso(comment.created_at),
    }


def answer_json(answer, *, comments=None, my_vote=None) -> dict:
    """Return an answer; inside a thread also its comments and the caller's vote."""
    data = {
        "id": answer.id,
        "question_id": answer.question_id,
        "body": answer.body,
        "body_html": answer.body_html,
        "author": author_json(answer.author),
        "score": answer.score,
        "is_accepted": answer.is_accepted,
        "is_official": answer.is_official,
        "created_at": iso(answer.created_at),
        "edited_at": iso(answer.edited_at),
        "url": answer_url(answer),
    }
    if comments is not None:
        data["comments"] = [comment_json(c) for c in comments]
    if my_vote is not None:
        data["my_vote"] = my_vote
    return data


def question_summary_json(question) -> dict:
    """Return the fields of a question shown in lists."""
    return {
        "id": question.id,
        "title": question.title,
        "tags": [tag.name for tag in question.tags],
        "author": author_json(question.author),
        "score": question.score,
        "status": question.status,
        "answer_count": question.answer_count,
        "accepted_answer_id": question.accepted_answer_id,
        "created_at": iso(question.created_at),
        "last_activity_at": iso(question.last_activity_at),
        "url": url_for("qa.question", question_id=question.id),
    }


def question_json(question, viewer) -> dict:
    """Return a whole thread: the question, its answers and comments, and the viewer's votes."""
    answers = answers_for(question)
    comments = comments_for(question, answers)
    votes = my_votes(viewer, question, answers)
    return {
        **question_summary_json(question),
        "body": question.body,
        "body_html": question.body_html,
        "edited_at": iso(question.edited_at),
        "my_vote": votes.get(("question", question.id), 0),
        "comments": [comment_json(c) for c in comments.get(("question", question.id), [])],
        "answers": [
            answer_json(a, comments=comments.get(("answer", a.id), []), my_vote=votes.get(("answer", a.id), 0))
            for a in answers
        ],
    }


def page_json(page, serialize) -> dict:
    """Return a Page as the list envelope of API.md."""
    return {
        "items": [serialize(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


def escalation_json(escalation) -> dict:
    """Return an escalation as API.md describes it, plus its source, resolution, breach and page."""
    return {
        "id": escalation.id,
        "question_id": escalation.question_id,
        "status": escalation.status,
        "source": escalation.source,
        "reason": escalation.reason or "",
        "assignee": author_json(escalation.assignee) if escalation.assignee else None,
        "sla_due_at": iso(escalation.sla_due_at),
        "created_at": iso(escalation.created_at),
        "resolved_at": iso(escalation.resolved_at),
        "resolution": escalation.resolution,
        "breached": escalation.breached(utcnow()),
        # The staff page (support/staff); built by hand like the notifications do, so the
        # API does not depend on the staff blueprint's endpoint names.
        "url": f"/staff/escalations/{escalation.id}",
    }


def staff_note_json(note) -> dict:
    """Return a private staff note (only ever serialized for staff)."""
    return {
        "id": note.id,
        "escalation_id": note.escalation_id,
        "author": author_json(note.author),
        "body": note.body,
        "body_html": note.body_html,
        "created_at": iso(note.created_at),
    }


def escalation_event_json(event) -> dict:
    """Return one step of an escalation's timeline: who did what, and when."""
    return {
        "id": event.id,
        "kind": event.kind,
        "actor": author_json(event.actor) if event.actor else None,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "assignee": author_json(event.assignee) if event.assignee else None,
        "created_at": iso(event.created_at),
    }


def notification_json(note, locale: str) -> dict:
    """Return a notification with its text rendered in `locale` (the reader's language)."""
    return {
        "id": note.id,
        "kind": note.kind,
        "text": render(note, locale),
        "url": note.url,
        "channel": note.channel,
        "created_at": iso(note.created_at),
        "read": note.read_at is not None,
    }
