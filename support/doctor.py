"""Invariant checks of ARCHITECTURE.md, run by `flask doctor` and by the tests.

Each check is a function returning a list of human-readable violations; other packages
(gamification, staff) add their own checks with `register`.
"""

import re

from sqlalchemy import func, select, text

from .extensions import db
from .models import Answer, Question, Tag, Vote, question_tags

CHECKS: list = []


def register(name):
    """Add a check to the doctor's list."""
    def decorate(fn):
        CHECKS.append((name, fn))
        return fn

    return decorate


@register("I1 no duplicate vote per (voter, post)")
def duplicate_votes():
    problems = []
    for column, kind in ((Vote.question_id, "question"), (Vote.answer_id, "answer")):
        rows = db.session.execute(
            select(Vote.voter_id, column, func.count())
            .where(column.is_not(None))
            .group_by(Vote.voter_id, column)
            .having(func.count() > 1)
        ).all()
        problems += [f"voter {v} has {n} votes on {kind} {t}" for v, t, n in rows]
    return problems


def cache_mismatches(owner_id, cached, fact_key, fact_value, *fact_filters):
    """Return (id, cached value, value from the facts) wherever a stored counter is wrong.

    `fact_value` is an aggregate over the fact rows grouped by `fact_key` (e.g. the sum of
    votes per answer); owners without facts count as 0.
    """
    facts = (
        select(fact_key.label("owner"), fact_value.label("total"))
        .where(fact_key.is_not(None), *fact_filters)
        .group_by(fact_key)
        .subquery()
    )
    actual = func.coalesce(facts.c.total, 0)
    return db.session.execute(
        select(owner_id, cached, actual).outerjoin(facts, facts.c.owner == owner_id).where(cached != actual)
    ).all()


def _score_mismatches(model, column, kind):
    rows = cache_mismatches(model.id, model.score, column, func.sum(Vote.value))
    return [f"{kind} {pid} has score {score} but its votes sum to {total}" for pid, score, total in rows]


@register("I2 scores equal the sum of votes; answer counts match")
def scores_and_counts():
    problems = _score_mismatches(Question, Vote.question_id, "question")
    problems += _score_mismatches(Answer, Vote.answer_id, "answer")
    rows = cache_mismatches(Question.id, Question.answer_count, Answer.question_id, func.count(),
                            Answer.deleted_at.is_(None))
    problems += [f"question {q} says {c} answers but has {n}" for q, c, n in rows]
    return problems


@register("tag question counts match the visible questions")
def tag_counts():
    rows = cache_mismatches(Tag.id, Tag.question_count, question_tags.c.tag_id, func.count(),
                            question_tags.c.question_id == Question.id, Question.deleted_at.is_(None))
    return [f"tag {t} says {c} questions but has {n}" for t, c, n in rows]


@register("I5 at most one accepted answer per question, and it is the question's")
def one_acceptance():
    problems = []
    rows = db.session.execute(
        select(Answer.question_id, func.count()).where(Answer.accepted_at.is_not(None))
        .group_by(Answer.question_id).having(func.count() > 1)
    ).all()
    problems += [f"question {q} has {n} accepted answers" for q, n in rows]
    rows = db.session.execute(
        select(Question.id, Question.accepted_answer_id)
        .join(Answer, Answer.id == Question.accepted_answer_id)
        .where((Answer.question_id != Question.id) | Answer.accepted_at.is_(None))
    ).all()
    problems += [f"question {q} points at answer {a}, which is not accepted for it" for q, a in rows]
    rows = db.session.execute(
        select(Answer.id, Answer.question_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.accepted_at.is_not(None), (Question.accepted_answer_id.is_(None)) | (Question.accepted_answer_id != Answer.id))
    ).all()
    problems += [f"answer {a} is marked accepted but question {q} does not say so" for a, q in rows]
    return problems


@register("database integrity")
def integrity():
    if db.engine.dialect.name == "postgresql":
        # PostgreSQL checks every constraint on write, except those added NOT VALID (a
        # migration that skipped the old rows): those rows were never checked.
        rows = db.session.execute(text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE NOT convalidated AND connamespace = current_schema()::regnamespace"
        )).all()
        return [f"constraint {name} on {table} was never validated" for table, name in rows]
    if db.engine.dialect.name != "sqlite":
        return []
    problems = []
    result = db.session.execute(text("PRAGMA integrity_check")).scalars().all()
    if result != ["ok"]:
        problems += [f"integrity_check: {r}" for r in result]
    problems += [f"foreign_key_check: {tuple(r)}" for r in db.session.execute(text("PRAGMA foreign_key_check")).all()]
    return problems


def run_checks() -> list[tuple[str, list[str]]]:
    """Run every check; return (name, violations) pairs."""
    results = []
    # I1 to I6 in their order, then the other checks (integrity last but one, by name).
    for name, fn in sorted(CHECKS, key=lambda check: (not re.match(r"I\d", check[0]), check[0])):
        results.append((name, fn()))
    db.session.rollback()
    return results
