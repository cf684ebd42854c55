"""The real app under gunicorn on 127.0.0.1, on a database of its own, driven over HTTP.

A small library (no pytest fixtures) shared by the reliability battery: the concurrency
tests fire parallel requests at it, the fault tests kill its workers or its Redis and
PostgreSQL connections. Three parts:

- `fresh_database` / `drop_database`: an SQLite file in a run directory, or a new
  PostgreSQL database next to TEST_DATABASE_URL's when that is set;
- `LiveApp`: `flask db upgrade`, gunicorn (gthread, as deployed), and on the same
  database: accounts with API tokens, `flask doctor`, the flask CLI, read-only SQL;
- `Client`, `burst`, `status_counts`: JSON calls with bearer tokens from many threads
  at once, and what came back.
"""

import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy import create_engine, make_url, text

from bench.servers import gunicorn, workers_of
from support import create_app
from support.database import write_transaction
from support.extensions import db
from support.models.base import utcnow
from support.services.accounts import issue_token
from tests.factories import PASSWORD, Factory

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "reliability-battery-fixed-secret-key"
HTTP_TIMEOUT = 60


# --- databases --------------------------------------------------------------------------

def _admin_engine(url):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def fresh_database(run_dir: Path, name: str) -> str:
    """Return the DATABASE_URL of an empty database for one server.

    An SQLite file in run_dir by default; with TEST_DATABASE_URL a new PostgreSQL database
    `<its database>_<name>_<xdist worker>` (dropped first if a crashed run left it), so
    parallel test workers never share one.
    """
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{Path(run_dir) / f'{name}.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = make_url(base)
    database = f"{url.database}_{name}" + (f"_{worker}" if worker else "")
    admin = _admin_engine(base)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a PostgreSQL database made by fresh_database (an SQLite file goes with its folder)."""
    if not url.startswith("postgresql"):
        return
    admin = _admin_engine(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


# --- the server ----------------------------------------------------------------------------

@dataclass
class Member:
    id: int
    username: str
    token: str


class LiveApp:
    """Passaparola under gunicorn on a free port of 127.0.0.1, against `database_url`.

    Use as a context manager, or start() / stop() (a stopped app can start again on the
    same database, e.g. after a crash test; `base` then changes). `env_overrides` go into
    the environment of the server and of every CLI run (e.g. RATELIMIT_ENABLED="false").
    """

    def __init__(self, database_url: str, run_dir: Path, workers: int = 2, threads: int = 8, **env_overrides):
        self.database_url, self.run_dir = database_url, Path(run_dir)
        self.workers_count, self.threads = workers, threads
        self.run_dir.mkdir(parents=True, exist_ok=True)
        instance = self.run_dir / "instance"
        instance.mkdir(exist_ok=True)
        on_postgres = database_url.startswith("postgresql")
        # Every setting that could point the server elsewhere (CI's PostgreSQL, Redis) is set here.
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "PYTEST_XDIST_WORKER")},
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": SECRET_KEY,
            "SEARCH_BACKEND": "postgres" if on_postgres else "whoosh",
            "SEARCH_INDEX_DIR": str(instance / "search-index"),
            "SOCKETIO_MESSAGE_QUEUE": "",
            "RATELIMIT_STORAGE_URI": "memory://",
            "PASSAPAROLA_ENV": "development",
            "NOTIFY_SENDER": "support.notify.LoggingSender",
            "DEFAULT_LOCALE": "en",
            "SEED_DEMO_ON_START": "false",
            "SLA_INLINE": "false",
            "OUTBOX_INLINE": "true",
            "FLASK_APP": "run",
            "PYTHONUNBUFFERED": "1",
            # Gunicorn closes a keep-alive connection idle for 2 s even when a request has just
            # arrived on it; a busy test machine makes the pool's next burst meet that as resets.
            "GUNICORN_CMD_ARGS": "--keep-alive 30",
            **{k: str(v) for k, v in env_overrides.items()},
        }
        self.log_path = self.run_dir / "gunicorn.log"
        self.base = None
        self.master_pid = None
        self._stack = None
        self._engine = None
        self._app = None
        self._upgraded = False

    # lifecycle

    def start(self) -> "LiveApp":
        """Migrate the database (once) and serve it; return self once it answers."""
        if not self._upgraded:
            self.flask_ok("db", "upgrade")
            self._upgraded = True
        self._stack = ExitStack()
        self.base, self.master_pid = self._stack.enter_context(gunicorn(
            "run:app", self.env, workers=self.workers_count, threads=self.threads, log=self.log_path,
            ready_path="/api/v1/questions?per_page=1",
        ))
        return self

    def stop(self) -> None:
        """Stop gunicorn at once (SIGKILL to its process group) and close the read-only engine.

        What a test wrote is committed in the database; gunicorn's graceful shutdown, which
        the context manager would do, took up to half a minute on a busy test machine.
        """
        if self._stack is not None:
            try:
                os.killpg(self.master_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # a fault test killed it already
            self._stack.close()
            self._stack = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def workers(self) -> list[int]:
        """The pids of gunicorn's worker processes now."""
        return workers_of(self.master_pid) if self.master_pid else []

    def logs(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    # the same database, from outside the server

    def flask(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run the flask CLI against the server's database and settings."""
        return subprocess.run([sys.executable, "-m", "flask", "--app", "run", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def flask_ok(self, *args: str, timeout: float = 120) -> str:
        """Run the flask CLI; fail loudly unless it exits 0; return its output."""
        done = self.flask(*args, timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"flask {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, script: str, *args: str, timeout: float = 120) -> str:
        """Run a python script (as `python -c`) with the server's settings; return its output."""
        done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"setup script exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def app(self):
        """An app object in this process on the server's database and search settings (not
        `env_overrides`): accounts and `flask doctor` without starting a python each time
        (~1.5 s of CPU)."""
        if self._app is None:
            self._app = create_app({
                "SQLALCHEMY_DATABASE_URI": self.database_url,
                "INSTANCE_PATH": self.env["INSTANCE_PATH"],
                "SECRET_KEY": SECRET_KEY,
                "SEARCH_BACKEND": self.env["SEARCH_BACKEND"],
                "SEARCH_INDEX_DIR": self.env["SEARCH_INDEX_DIR"],
                "SOCKETIO_MESSAGE_QUEUE": None,
                "RATELIMIT_STORAGE_URI": "memory://",
                "OUTBOX_INLINE": False,  # the server drains what these writes leave
                "SLA_INLINE": False,
            })
        return self._app

    @contextmanager
    def app_context(self):
        """Work on the server's database in this process; no connection outlives the block
        (the server, or a fault test, may end them)."""
        with self.app().app_context():
            try:
                yield
            finally:
                db.session.remove()
                db.engine.dispose()

    def doctor(self) -> tuple[bool, str]:
        """Run `flask doctor` (in this process) on the database: (every invariant holds, its output).
        `flask("doctor")` runs it as a command of its own."""
        with self.app_context():
            result = self.app().test_cli_runner().invoke(args=["doctor"])
        output = result.output + (f"\n{result.exception!r}" if result.exit_code and result.exception else "")
        return result.exit_code == 0, output

    def sql(self, query: str, **params) -> list:
        """Rows of a read-only query on the server's database (committed data only)."""
        if self._engine is None:
            # pre_ping: a fault test may have restarted the database since the last query.
            self._engine = create_engine(self.database_url, pool_pre_ping=True)
        with self._engine.connect() as conn:
            return conn.execute(text(query), params).all()

    def accounts(self, *usernames: str, role: str = "member", points: int = 200, age_days: int = 30,
                 roles: dict | None = None) -> list[Member]:
        """Create accounts with API tokens through tests/factories.py; return them in order.
        `roles` gives some of them another role than `role`.

        By default established members (a month old, 200 points: past the new-account
        limits, so they can post with rate limits on); points=1, age_days=0 makes newcomers.
        """
        roles = roles or {}
        fields = {"created_at": utcnow() - timedelta(days=age_days)} if age_days else {}
        made = []
        with self.app_context():
            make = Factory()
            for name in usernames:
                # BEGIN IMMEDIATE on SQLite, as the services do: the server writes at the same time.
                with write_transaction():
                    user = make.user(name, role=roles.get(name, role), points=points, locale="en", **fields)
                made.append(Member(user.id, user.username, issue_token(user.id)))
        return made


# --- HTTP -----------------------------------------------------------------------------------

class Client:
    """A JSON client of /api/v1 for many threads at once: one pooled requests session,
    the member's bearer token per call. Calls return the Response whatever its status."""

    def __init__(self, base: str, pool: int = 64):
        self.base = base
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool)
        self.session.mount("http://", adapter)

    def close(self) -> None:
        self.session.close()

    def call(self, method: str, path: str, body=None, member: Member | None = None,
             timeout: float = HTTP_TIMEOUT) -> requests.Response:
        headers = {"Accept": "application/json"}
        if member is not None:
            headers["Authorization"] = f"Bearer {member.token}"
        return self.session.request(method, self.base + path, json=body, headers=headers, timeout=timeout)

    def ok(self, method: str, path: str, body=None, member: Member | None = None) -> dict:
        """A call that must succeed (arranging data): its JSON body."""
        response = self.call(method, path, body, member)
        if not 200 <= response.status_code < 300:
            raise AssertionError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else {}

    # accounts

    def register(self, username: str, password: str = PASSWORD) -> Member:
        """Register through the API and sign in for a token (limited to a few a day per IP)."""
        self.ok("POST", "/api/v1/auth/register",
                {"username": username, "email": f"{username}@example.com", "password": password, "locale": "en"})
        return self.token(username, password)

    def token(self, username: str, password: str = PASSWORD) -> Member:
        found = self.ok("POST", "/api/v1/auth/token", {"username": username, "password": password})
        return Member(found["user"]["id"], username, found["token"])

    # what members do

    def ask(self, member: Member, title: str, body: str, tags=("sim",)) -> dict:
        return self.ok("POST", "/api/v1/questions", {"title": title, "body": body, "tags": list(tags)},
                       member)["question"]

    def answer(self, member: Member, question_id: int, body: str) -> dict:
        return self.ok("POST", f"/api/v1/questions/{question_id}/answers", {"body": body}, member)["answer"]

    def vote(self, member: Member, kind: str, post_id: int, value: int) -> requests.Response:
        """Vote +1 / -1 on a question or answer; 0 retracts (DELETE)."""
        path = f"/api/v1/{kind}s/{post_id}/votes"
        if value == 0:
            return self.call("DELETE", path, member=member)
        return self.call("POST", path, {"value": value}, member)


def burst(calls, threads: int | None = None) -> list:
    """Run callables from `threads` threads released together by a barrier.

    Returns, in the order of `calls`, what each returned or the exception it raised.
    With more calls than threads, each thread takes the next call as soon as it is done.
    """
    calls = list(calls)
    threads = min(threads or len(calls), len(calls))
    results: list = [None] * len(calls)
    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    pending = iter(range(len(calls)))

    def work():
        barrier.wait()
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                results[index] = calls[index]()
            except Exception as exc:  # returned to the caller, who counts and asserts on it
                results[index] = exc

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


def status_counts(responses) -> dict:
    """Count responses by class: {"2xx", "409", "429", "5xx", "other", "error"} ("error": an
    exception such as a refused or reset connection instead of a response)."""
    counts = dict.fromkeys(("2xx", "409", "429", "5xx", "other", "error"), 0)
    for response in responses:
        status = getattr(response, "status_code", None)
        if status is None:
            counts["error"] += 1
        elif 200 <= status < 300:
            counts["2xx"] += 1
        elif status in (409, 429):
            counts[str(status)] += 1
        elif status >= 500:
            counts["5xx"] += 1
        else:
            counts["other"] += 1
    return counts


def doctor_violations(output: str) -> int:
    """The number of violations `flask doctor` reported ("11 checks, 1 failed, 3 violation(s)");
    -1 when its output has no summary (it crashed)."""
    found = re.search(r"(\d+) violation", output)
    return int(found.group(1)) if found else -1
