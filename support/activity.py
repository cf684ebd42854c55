"""Tell members about activity on their threads: answers, comments, mentions, acceptance.

Receivers of the Q&A domain events; they run inside the service's transaction, so a
notification exists exactly when the answer or comment it tells about does. Nobody is
told of their own act, and each person hears of one post once (an asker mentioned in an
answer to their own question gets the "answer" notification, not a second one). An
import tells nobody.
"""

import re

from sqlalchemy import func, select

from . import events
from .bulk import importing
from .extensions import db
from .models import Answer, Question, User
from .notify import notify, question_path

# "@marco.ferri" anywhere but inside an e-mail address or a word; a trailing dot ends the sentence.
MENTION_RE = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9_.\-]{2,31})")
CODE_RE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
MAX_MENTIONS = 10


def mentioned_usernames(body: str) -> list[str]:
    """The usernames a Markdown text mentions outside code, lower-cased, each once, in order."""
    seen: list[str] = []
    for match in MENTION_RE.finditer(CODE_RE.sub(" ", body or "")):
        name = match.group(1).rstrip(".-").lower()
        if name not in seen:
            seen.append(name)
    return seen[:MAX_MENTIONS]


def _mentioned_users(body: str) -> list[User]:
    names = mentioned_usernames(body)
    if not names:
        return []
    return list(db.session.scalars(select(User).where(func.lower(User.username).in_(names)).order_by(User.id)))


def _tell_mentioned(body, author, question, anchor, already):
    for user in _mentioned_users(body):
        if user.id in already:
            continue
        already.add(user.id)
        notify(user, "mentioned", question_path(question.id, anchor), author=author.shown_name, title=question.title)


def on_answer_posted(_sender, answer, question, actor, **_):
    told = {actor.id}
    anchor = f"answer-{answer.id}"
    if question.author_id not in told:
        told.add(question.author_id)
        notify(question.author, "answer_received", question_path(question.id, anchor),
               author=actor.shown_name, title=question.title)
    _tell_mentioned(answer.body, actor, question, anchor, told)


def on_comment_posted(_sender, comment, question, actor, **_):
    told = {actor.id}
    anchor = f"comment-{comment.id}"
    if comment.answer_id is not None:
        owner_id = db.session.scalar(select(Answer.author_id).where(Answer.id == comment.answer_id))
    else:
        owner_id = question.author_id
    if owner_id not in told:
        told.add(owner_id)
        notify(db.session.get(User, owner_id), "comment_received", question_path(question.id, anchor),
               author=actor.shown_name, title=question.title)
    _tell_mentioned(comment.body, actor, question, anchor, told)


def on_answer_accepted(_sender, answer, question: Question, actor, **_):
    if answer.author_id != actor.id:
        notify(answer.author, "answer_accepted", question_path(question.id, f"answer-{answer.id}"), title=question.title)


def _live_only(receiver):
    """An import (a migration, the demo seed) replays history: nobody is told of it."""
    def receive(*args, **kwargs):
        if not importing.get():
            receiver(*args, **kwargs)
    receive.__name__ = receiver.__name__
    return receive


_RECEIVERS = {
    events.answer_posted: _live_only(on_answer_posted),
    events.comment_posted: _live_only(on_comment_posted),
    events.answer_accepted: _live_only(on_answer_accepted),
}


def connect() -> None:
    for signal, receiver in _RECEIVERS.items():
        signal.connect(receiver)
