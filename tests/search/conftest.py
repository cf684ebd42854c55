"""Search tests run on Whoosh, and on PostgreSQL full-text too when TEST_DATABASE_URL is set."""

import pytest
from sqlalchemy import text

from support.extensions import db
from tests.conftest import PG_URL

BACKENDS = ["whoosh", pytest.param("postgres", marks=pytest.mark.skipif(not PG_URL, reason="PostgreSQL only"))]


@pytest.fixture(params=BACKENDS)
def backend_name(request):
    return request.param


@pytest.fixture
def app_config(app_config, backend_name):
    return {**app_config, "SEARCH_BACKEND": backend_name}


@pytest.fixture(autouse=True)
def _empty_pg_documents(app, backend_name):
    """Start each PostgreSQL test with no search documents (the table outlives tests)."""
    if backend_name == "postgres":
        app.extensions["search"].ensure_schema()
        db.session.execute(text("DELETE FROM search.documents"))
        db.session.commit()
    yield


@pytest.fixture
def solved(make):
    """Return a function that posts a question with an accepted answer."""

    def create(title, body, answer, tags=("sim",), votes=0):
        asker = make.user()
        question = make.question(author=asker, title=title, body=body, tags=tags)
        reply = make.answer(question, body=answer)
        for _ in range(votes):
            make.vote(make.user(points=500), reply)
        make.accept(asker, reply)
        return question

    return create
