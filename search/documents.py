"""What gets indexed: a question with its accepted answer, read from the database."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from support.extensions import db
from support.models import Answer, Question

from .text import html_text, strip_markers


@dataclass
class SearchDocument:
    question_id: int
    title: str
    body: str
    language: str
    tags: list[str]
    score: int
    answer_id: int | None = None
    answer: str = ""
    answer_language: str = "it"
    answer_score: int = 0
    accepted_at: datetime | None = None
    verified: bool = False
    stamp: str = field(default="")

    @property
    def solved(self) -> bool:
        return self.answer_id is not None


@dataclass
class Hit:
    question_id: int
    answer_id: int | None
    title: str
    snippet_html: str
    score: float
    tags: list[str]
    votes: int
    solved: bool


@dataclass
class Results:
    """One page of hits. Counting every match is costly on a big index, so a backend may
    stop at one hit past the page: then `exact` is False and `total` is only what is
    known (the matches up to this page, at least). `more` says whether a later page has hits.
    """

    hits: list[Hit]
    total: int
    more: bool = False
    exact: bool = True


def _stamp(doc: SearchDocument) -> str:
    parts = [doc.title, doc.body, doc.language, ",".join(doc.tags), str(doc.score), str(doc.answer_id),
             doc.answer, str(doc.answer_score), str(doc.verified)]
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def build(question: Question, answer: Answer | None) -> SearchDocument:
    """Return the search document of a question and its accepted answer (or None)."""
    doc = SearchDocument(
        question_id=question.id,
        title=strip_markers(question.title),
        body=strip_markers(html_text(question.body_html)),
        language=question.language if question.language in ("it", "en") else "it",
        tags=[t.name for t in question.tags],
        score=question.score,
    )
    if answer is not None and answer.deleted_at is None:
        doc.answer_id = answer.id
        doc.answer = strip_markers(html_text(answer.body_html))
        doc.answer_language = answer.language if answer.language in ("it", "en") else doc.language
        doc.answer_score = answer.score
        doc.accepted_at = answer.accepted_at
        doc.verified = answer.verified_at is not None
    doc.stamp = _stamp(doc)
    return doc


def _documents(where, limit=None) -> list[SearchDocument]:
    """Build the documents of the visible questions that match `where`, in id order.

    Three queries (questions, their tags, their accepted answers); the authors, which
    the models join by default, are not read: a document does not show them.
    """
    questions = db.session.scalars(
        select(Question).options(lazyload(Question.author), selectinload(Question.tags))
        .where(where, Question.deleted_at.is_(None)).order_by(Question.id).limit(limit)
    ).all()
    answer_ids = [q.accepted_answer_id for q in questions if q.accepted_answer_id]
    answers = {a.id: a for a in db.session.scalars(
        select(Answer).options(lazyload(Answer.author)).where(Answer.id.in_(answer_ids)))} if answer_ids else {}
    return [build(question, answers.get(question.accepted_answer_id)) for question in questions]


def load_many(question_ids) -> dict[int, SearchDocument | None]:
    """Return each question's document, or None when it should not be indexed."""
    found = {doc.question_id: doc for doc in _documents(Question.id.in_(list(question_ids)))}
    return {question_id: found.get(question_id) for question_id in question_ids}


def iter_all(batch: int = 1000):
    """Yield the documents of every visible question, a batch of ids at a time."""
    last = 0
    while True:
        docs = _documents(Question.id > last, limit=batch)
        if not docs:
            return
        yield from docs
        last = docs[-1].question_id
        db.session.expunge_all()


def count_all() -> int:
    """Return how many questions should be in the index."""
    return db.session.scalar(select(db.func.count()).where(Question.deleted_at.is_(None)))
