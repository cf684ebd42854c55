"""Fixtures: a fresh database per test, on SQLite by default or on PostgreSQL when
TEST_DATABASE_URL is set (each xdist worker gets its own PostgreSQL database)."""

import os
import re
import shutil

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from support import create_app
from support.extensions import db

from . import factories

PG_URL = os.environ.get("TEST_DATABASE_URL")


def _worker_database(base_url: str, worker: str) -> str:
    url = make_url(base_url)
    name = f"{url.database}_{worker}" if worker != "master" else url.database
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """Build the schema once per test session; return how each test gets a fresh copy."""
    if PG_URL:
        url = _worker_database(PG_URL, worker_id)
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "INSTANCE_PATH": str(tmp_path_factory.mktemp("pg-instance"))})
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()
        return {"kind": "postgres", "url": url}
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "INSTANCE_PATH": str(folder)})
    with app.app_context():
        db.create_all()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    return {"kind": "sqlite", "path": path}


def _truncate_all(app):
    with app.app_context():
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def app_config(tmp_path, database_template):
    """The settings of the app under test; tests may change them before `app` is built."""
    if database_template["kind"] == "postgres":
        uri = database_template["url"]
    else:
        target = tmp_path / "test.db"
        shutil.copy(database_template["path"], target)
        uri = f"sqlite:///{target}"
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-secret",
        "OUTBOX_SYNC": True,
        # The ladder is ticked by the tests themselves (support.ladder.sla_tick), never by a thread.
        "SLA_INLINE": False,
        # Emails and SMS are kept in memory (support.notify.RecordingSender.sent).
        "NOTIFY_SENDER": "support.notify.RecordingSender",
        "RATELIMIT_ENABLED": False,
        # Pages are rendered afresh for every request; tests/pages/test_page_cache.py turns the cache on.
        "PAGE_CACHE_MB": 0,
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "SERVER_NAME": "localhost",
        # Tests read the English source wording unless they ask for Italian (a header, a
        # member's locale): messages made outside a request (services called directly)
        # use this default. tests/test_i18n.py checks the real default, Italian.
        "BABEL_DEFAULT_LOCALE": "en",
    }


class RequestIsolatedClient(FlaskClient):
    """Run each request in its own application context, as a real server does.

    The `app` fixture keeps an application context open for the factories; without this,
    every request would reuse it and share `g` (Flask-Login's cached current user,
    Flask-Babel's locale) and the database session with the requests before it.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # End the test's own read transaction so it sees what the request committed.
        db.session.rollback()
        return response


@pytest.fixture
def app(app_config, database_template):
    app = create_app(app_config)
    app.test_client_class = RequestIsolatedClient
    ctx = app.app_context()
    ctx.push()
    yield app
    db.session.remove()
    ctx.pop()
    if database_template["kind"] == "postgres":
        _truncate_all(app)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make(app):
    """Factories that build members, questions, answers through the real services."""
    return factories.Factory()


class PageClient:
    """A test client that behaves like a browser: it reads the CSRF token from the page."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path="/") -> str:
        html = self.client.get(path).get_data(as_text=True)
        match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, path, data=None, csrf_from="/", **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(csrf_from))
        return self.client.post(path, data=data, **kwargs)

    def login_as(self, user):
        """Sign in without the password form (that has its own tests)."""
        with self.client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return self

    def logout(self):
        with self.client.session_transaction() as session:
            session.clear()
        return self


@pytest.fixture
def client(app):
    return PageClient(app.test_client())


class ApiClient:
    """A JSON client for /api/v1 that can act as a member through a bearer token."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def as_user(self, user):
        from support.services.accounts import issue_token

        self.token = issue_token(user.id)
        return self

    def anonymous(self):
        self.token = None
        return self

    def _headers(self, headers=None):
        merged = {"Accept": "application/json"}
        if self.token:
            merged["Authorization"] = f"Bearer {self.token}"
        merged.update(headers or {})
        return merged

    def request(self, method, path, json=None, headers=None, **kwargs):
        return self.client.open(path, method=method, json=json, headers=self._headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api(app):
    return ApiClient(app.test_client())


@pytest.fixture
def doctor(app):
    """Return a function that asserts every invariant holds."""
    from support.doctor import run_checks

    def check():
        failures = {name: problems for name, problems in run_checks() if problems}
        assert not failures, failures

    return check
