"""`flask doctor`: exit 0 on a healthy database, 1 and a clear report after a planted violation."""

import re
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import text

from support.extensions import db


@pytest.fixture
def community(make):
    asker, voter = make.user(), make.user(points=200)
    question = make.question(author=asker)
    first, second = make.answer(question), make.answer(question)
    make.vote(voter, first, 1)
    make.vote(voter, question, 1)
    make.accept(asker, first)
    return {"question": question.id, "first": first.id, "second": second.id, "voter": voter.id}


def run_doctor(app):
    return app.test_cli_runner().invoke(args=["doctor"])


def test_doctor_passes_on_a_healthy_database(app, community):
    result = run_doctor(app)
    assert result.exit_code == 0, result.output
    assert "all invariants hold" in result.output
    assert "FAIL" not in result.output
    assert re.search(r"\d+ checks, 0 failed, 0 violation\(s\)", result.output)


def test_doctor_passes_on_an_empty_database(app):
    assert run_doctor(app).exit_code == 0


VIOLATIONS = {
    "answer score": ("UPDATE answers SET score = 7 WHERE id = :first",
                     "answer {first} has score 7 but its votes sum to 1"),
    "question score": ("UPDATE questions SET score = -3 WHERE id = :question", "question {question} has score -3"),
    "second acceptance": ("UPDATE answers SET accepted_at = CURRENT_TIMESTAMP WHERE id = :second",
                          "question {question} has 2 accepted answers"),
    "acceptance not recorded": ("UPDATE questions SET accepted_answer_id = NULL WHERE id = :question",
                                "answer {first} is marked accepted but question {question} does not say so"),
    "answer count": ("UPDATE questions SET answer_count = 5 WHERE id = :question",
                     "question {question} says 5 answers but has 2"),
    "tag count": ("UPDATE tags SET question_count = 9 WHERE name = 'sim'", "says 9 questions but has 1"),
}


@pytest.mark.parametrize("name", list(VIOLATIONS))
def test_doctor_fails_after_a_planted_violation(app, community, name):
    statement, message = VIOLATIONS[name]
    db.session.execute(text(statement), {k: v for k, v in community.items() if f":{k}" in statement})
    db.session.commit()
    result = run_doctor(app)
    assert result.exit_code == 1, result.output
    assert "[FAIL]" in result.output
    assert message.format(**community) in result.output
    assert "check(s) failed" in result.output
    assert re.search(r"\d+ checks, 1 failed, [1-9]\d* violation\(s\)", result.output)


def test_doctor_fixture_agrees(app, community, doctor):
    doctor()
    db.session.execute(text("UPDATE answers SET score = 7 WHERE id = :id"), {"id": community["first"]})
    db.session.commit()
    with pytest.raises(AssertionError, match="has score 7"):
        doctor()


def test_doctor_reports_a_broken_foreign_key_on_sqlite(app, community):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL enforces foreign keys itself: a dangling row cannot be written")
    # A row written past the constraint, as a bad import or a manual fix would: a connection
    # of its own, with foreign keys off (the app turns them on for every connection it opens).
    with closing(sqlite3.connect(db.engine.url.database)) as conn:
        conn.execute("UPDATE answers SET question_id = 987654 WHERE id = ?", (community["second"],))
        conn.commit()
    db.session.rollback()  # end the test's read snapshot, as a new `flask doctor` process would
    result = run_doctor(app)
    assert result.exit_code == 1, result.output
    assert "[FAIL] database integrity" in result.output
    assert "foreign_key_check: ('answers'" in result.output


def test_doctor_reports_a_constraint_never_validated_on_postgresql(app, community):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("NOT VALID constraints are PostgreSQL's")
    db.session.execute(text("ALTER TABLE answers ADD CONSTRAINT answers_score_sane CHECK (score > -1000000) NOT VALID"))
    db.session.commit()
    try:
        result = run_doctor(app)
        assert result.exit_code == 1, result.output
        assert "constraint answers_score_sane on answers was never validated" in result.output
    finally:  # the schema outlives the test (tables are emptied between tests, not rebuilt)
        db.session.rollback()
        db.session.execute(text("ALTER TABLE answers DROP CONSTRAINT answers_score_sane"))
        db.session.commit()
