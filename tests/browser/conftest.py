"""Browser-test fixtures: a live server (gunicorn, its own port and instance directory
per module, so xdist workers never share one) and Debian's chromium driven by Playwright.

The package is skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI),
which turns that into a failure.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .helpers import PASSWORD, ROOT, TIMEOUT_MS, Api, Watcher

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET_KEY = "browser-tests-fixed-secret-key"
# Settings of the environment that would point the server elsewhere (CI's PostgreSQL, Redis).
FOREIGN_SETTINGS = ("DATABASE_URL", "SEARCH_BACKEND", "SEARCH_INDEX_DIR", "SOCKETIO_MESSAGE_QUEUE",
                    "RATELIMIT_STORAGE_URI", "PASSAPAROLA_ENV", "NOTIFY_SENDER", "DEFAULT_LOCALE",
                    "PUBLIC_URL", "FLASK_APP", "TEST_DATABASE_URL")

# Accounts every module has: staff made with the CLI before the server starts, an
# administrator (below), and a member registered through the API once it answers. The
# tests register more people, through the register page or the API, as their flow needs.
STAFF = "staffer"
MEMBER = "marta.bianchi"
ADMIN = "amministratore"

# An administrator, and no ask-flow holdout: the holdout (5% of members a month, by a keyed
# hash) would hide the similar-questions box from an unlucky member and make tests flaky.
SETUP_SCRIPT = f"""
from run import app
from support.extensions import db
from support.metrics.config import save_deflection_config
from support.services.accounts import register_user
with app.app_context():
    admin = register_user({ADMIN!r}, "admin@example.com", {PASSWORD!r}, role="admin")
    save_deflection_config(admin, {{"holdout_share": 0.0}})
    db.session.remove()
"""


def _missing_browser() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright or axe-playwright-python is not installed ({exc}); browser tests skipped"
    return None


@pytest.fixture(scope="module", autouse=True)
def _require_browser():
    reason = _missing_browser()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason.split(';')[0]}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    instance: Path
    log_path: Path
    process: subprocess.Popen | None = None
    api: Api = field(init=False)

    def __post_init__(self):
        self.api = Api(self.url)

    def log(self, last_lines=300) -> str:
        """The end of the server's output, without the noise of static files served fine."""
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no server log)"
        lines = [line for line in lines if not re.search(r'"GET /static/\S* HTTP/[\d.]+" (200|304) ', line)]
        return "\n".join(lines[-last_lines:])


def _run(cmd, env, log, what):
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=120)
    log.write(f"$ {' '.join(cmd)}\n{done.stdout}\n")
    log.flush()
    if done.returncode:
        pytest.fail(f"{what} failed ({done.returncode}):\n{done.stdout}", pytrace=False)


def _wait_until_up(server: LiveServer, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited ({server.process.returncode}):\n{server.log()}", pytrace=False)
        try:
            with urllib.request.urlopen(server.url + "/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not answer within {timeout}s:\n{server.log()}", pytrace=False)
        time.sleep(0.1)


def _stop(process: subprocess.Popen):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=8)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def live_server(_require_browser, tmp_path_factory):
    """The real app under gunicorn (gthread, as deployed) on a free port, fresh SQLite."""
    instance = tmp_path_factory.mktemp("browser-instance")
    port = _free_port()
    server = LiveServer(url=f"http://127.0.0.1:{port}", instance=instance, log_path=instance / "server.log")
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    env.update({
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'passaparola.db'}",
        "SEARCH_INDEX_DIR": str(instance / "search-index"),
        "SECRET_KEY": SECRET_KEY,
        "SEED_DEMO_ON_START": "false",
        "RATELIMIT_ENABLED": "false",
        "OUTBOX_INLINE": "true",
        "SLA_INLINE": "false",  # the escalation ladder never moves on its own during a test
        "PUBLIC_URL": server.url,
        "PYTHONUNBUFFERED": "1",
    })
    flask = [sys.executable, "-m", "flask", "--app", "run"]
    with open(server.log_path, "a") as log:
        setup_env = dict(env, OUTBOX_INLINE="false")  # the server drains what setup enqueues
        _run(flask + ["db", "upgrade"], setup_env, log, "flask db upgrade")
        # The accounts, side by side (SQLite's busy timeout serialises the writers).
        jobs = [
            (flask + ["users", "create", STAFF, "staff@example.com", "--password", PASSWORD, "--role", "staff"],
             "flask users create (staff)"),
            ([sys.executable, "-c", SETUP_SCRIPT], "admin and ask-flow settings"),
        ]
        running = [(subprocess.Popen(cmd, cwd=ROOT, env=setup_env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True), what) for cmd, what in jobs]
        for proc, what in running:
            out, _ = proc.communicate(timeout=120)
            log.write(f"$ {what}\n{out}\n")
            if proc.returncode:
                for other, _what in running:
                    if other.poll() is None:
                        other.kill()
                        other.communicate()
                pytest.fail(f"{what} failed ({proc.returncode}):\n{out}", pytrace=False)
    log = open(server.log_path, "a")
    server.process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", "50",
         "--graceful-timeout", "3", "-b", f"127.0.0.1:{port}", "--access-logfile", "-",
         # Two servers at once (xdist workers) must not fight over ~/.gunicorn/gunicorn.ctl.
         "--no-control-socket", "run:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        _wait_until_up(server)
        server.api.register(MEMBER)
        yield server
    finally:
        _stop(server.process)
        log.close()


@pytest.fixture(scope="module")
def browser(_require_browser):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def watcher():
    """Every page of every context: console errors, CSP violations, Socket.IO frames."""
    return Watcher()


@pytest.fixture
def new_context(browser, live_server, watcher):
    """Open a browser context (its own cookies: one person), Italian, 1280x900 by default."""
    made = []

    def make(locale="it-IT", **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return watcher.context(context)

    yield make
    for context in made:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the server log to a failed browser test's report."""
    report = yield
    server = getattr(item, "funcargs", {}).get("live_server")
    if report.failed and isinstance(server, LiveServer):
        report.sections.append(("live server log (last lines)", server.log()))
    return report
