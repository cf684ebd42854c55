"""Fixtures that run Passaparola scaled out for real: PostgreSQL, a Redis of the test's
own, two gunicorn web processes and the outbox worker, each a separate process.

Only with TEST_DATABASE_URL on PostgreSQL (the scaled-out setup needs it); every xdist
worker gets its own database (`<name>_scale_<worker>`), created and dropped here.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_DATABASE_URL") or ""
ON_POSTGRES = PG_URL.startswith("postgresql")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PASSWORD = "scale-out password 1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Proc:
    """A child process in its own process group, logging to a file."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name, self.args = name, args
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout: float = 8.0) -> None:
        if self.alive():
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.popen.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.popen.wait(5)
        self._log.close()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


class RedisServer:
    """A redis-server of the test's own on a fixed port, so it can be stopped and restarted."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.log_dir = log_dir
        self.proc = None
        self.generation = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        if not os.access(REDIS_SERVER, os.X_OK):
            pytest.fail(f"redis-server not found ({REDIS_SERVER}): the scale-out test starts its own")
        self.generation += 1
        self.proc = Proc(f"redis-{self.generation}", [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                                                      "--save", "", "--appendonly", "no", "--dir", str(self.log_dir)],
                         os.environ.copy(), self.log_dir)
        wait_until(self.ping, 10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(signal.SIGTERM)
            wait_until(lambda: not self.ping(), 5, what="redis-server to stop")


class Cluster:
    """The scaled-out set: web processes and the outbox worker, sharing PostgreSQL and Redis."""

    def __init__(self, database_url: str, redis: RedisServer, run_dir: Path):
        self.database_url, self.redis, self.run_dir = database_url, redis, run_dir
        self.procs: list[Proc] = []
        self.web: list[str] = []  # base URLs
        instance = run_dir / "instance"
        instance.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SOCKETIO_MESSAGE_QUEUE": f"{redis.url}/0",
            "RATELIMIT_STORAGE_URI": f"{redis.url}/1",
            "SEARCH_BACKEND": "postgres",
            "OUTBOX_INLINE": "false",
            "SLA_INLINE": "false",
            "SEED_DEMO_ON_START": "false",
            "INSTANCE_PATH": str(instance),
            # Every process must sign and read sessions with the same key: from the
            # environment (config._secret_key), not one generated per instance folder.
            "SECRET_KEY": secrets.token_hex(32),
            "PYTHONUNBUFFERED": "1",
            "FLASK_APP": "run",
        }
        self.env.pop("TEST_DATABASE_URL", None)

    def flask(self, *args: str, timeout: float = 60) -> str:
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "run", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start_web(self, count: int = 2, threads: int = 20) -> None:
        for n in range(count):
            port = free_port()
            self.procs.append(Proc(f"web-{n + 1}", [
                sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", str(threads),
                "-b", f"127.0.0.1:{port}", "--graceful-timeout", "3", "--no-control-socket", "run:app",
            ], self.env, self.run_dir))
            self.web.append(f"http://127.0.0.1:{port}")
        for url in self.web:
            wait_until(lambda: self._up(url), 40, 0.2, what=f"{url} to answer")

    def start_outbox(self) -> None:
        self.procs.append(Proc("outbox", [sys.executable, "-m", "flask", "--app", "run", "outbox", "run",
                                          "--interval", "0.2"], self.env, self.run_dir))

    def _up(self, url: str) -> bool:
        for proc in self.procs:
            if not proc.alive():
                raise RuntimeError(f"{proc.name} exited:\n{proc.log()[-3000:]}")
        try:
            with requests.get(f"{url}/api/v1/questions?per_page=1", timeout=2) as response:
                return response.status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()

    def logs(self) -> str:
        parts = []
        for path in sorted(self.run_dir.glob("*.log")):
            text = path.read_text(errors="replace")
            parts.append(f"----- {path.name} (last 4000 characters) -----\n{text[-4000:]}")
        return "\n".join(parts)


def _admin_engine():
    from sqlalchemy import create_engine, make_url

    return create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture
def scale_database(worker_id):
    """A fresh, empty PostgreSQL database for this xdist worker; dropped afterwards."""
    from sqlalchemy import make_url, text

    url = make_url(PG_URL)
    name = f"{url.database}_scale_{worker_id}"
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def run_dir(tmp_path):
    path = tmp_path / "run"
    path.mkdir()
    return path


@pytest.fixture
def redis_server(run_dir):
    server = RedisServer(run_dir)
    server.start()
    yield server
    server.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.scaleout_failed = report.failed
    return report


@pytest.fixture
def cluster(request, scale_database, redis_server, run_dir):
    """Two web processes and the outbox worker on the test's database and Redis."""
    cluster = Cluster(scale_database, redis_server, run_dir)
    try:
        cluster.flask("db", "upgrade")
        cluster.start_web(2, threads=20)
        cluster.start_outbox()
        yield cluster
    finally:
        cluster.stop()
        if getattr(request.node, "scaleout_failed", True) or os.environ.get("SCALEOUT_LOGS"):
            print("\n===== process logs =====\n" + cluster.logs())
