"""Live events scaled out: how long an answer takes to reach N Socket.IO clients.

    python -m bench.live [--clients 500] [--rounds 3] [--client-procs 4]
                         [--database-url URL] [--redis redis://127.0.0.1:6379/2]
    python -m bench.live --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 \\
                         --username U --password P [--question-id ID]

Without --url it starts the scaled-out set of docs/deployment.md on 127.0.0.1: a fresh
PostgreSQL database (`passaparola_bench_live`, dropped and created again), two gunicorn
web processes (`-k gthread -w 1 --threads clients/2+50`: in threading mode every
websocket holds a thread), and one `flask outbox run` worker, with Socket.IO and the
rate limits on the machine's Redis (db 2 and 3). With --url it uses web processes that
already run, and a member (staff, so no new-account limits) who may answer.

Clients are python-socketio `Client`s on the websocket transport, spread over a few
client processes (--client-procs) and alternately over the web processes; each subscribes
to one question. Every round posts an answer through the API (alternating web
processes) and measures, per client, the time from just before the POST until the
client received `answer_posted` for that answer (time.monotonic is system-wide on Linux,
so times of different processes compare). It prints p50, p95 and max per round and
overall, how many clients received the event, and how long connecting took.

Everything runs on one machine: clients, web processes, the worker, PostgreSQL and Redis
share its cores, so the figures are an upper bound for a real deployment.
"""

import argparse
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/live.py`
    sys.path.insert(0, str(ROOT))

PASSWORD = "live events under load 7"
REQUEST_TIMEOUT = 15


# --- the client processes ------------------------------------------------------------------

def _client_process(conn, urls, first_index, count, question_id, connect_parallel):
    """Hold `count` clients (global indexes first_index...); answer the parent's commands."""
    import socketio

    received = {}  # answer id -> list of (client index, monotonic time)
    lock = threading.Lock()
    subscribed = threading.Semaphore(0)
    clients = []

    def make(index):
        sio = socketio.Client(reconnection=False, request_timeout=REQUEST_TIMEOUT)

        def on_answer(data):
            now = time.monotonic()
            with lock:
                received.setdefault(data.get("answer_id"), []).append((index, now))

        sio.on("answer_posted", on_answer)
        started = time.monotonic()
        try:
            sio.connect(urls[index % len(urls)], transports=["websocket"], wait_timeout=REQUEST_TIMEOUT)
            ack = sio.call("subscribe", {"question_id": question_id}, timeout=REQUEST_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            return sio, None, f"{type(exc).__name__}: {exc}"
        if ack != {"ok": True}:
            return sio, None, f"subscribe answered {ack!r}"
        subscribed.release()
        return sio, time.monotonic() - started, None

    started = time.monotonic()
    with ThreadPoolExecutor(connect_parallel) as pool:
        results = list(pool.map(make, range(first_index, first_index + count)))
    clients = [sio for sio, _, _ in results]
    conn.send({
        "connect_seconds": [t for _, t, _ in results if t is not None],
        "errors": [e for _, _, e in results if e],
        "wall": time.monotonic() - started,
    })
    connected = sum(1 for _, t, _ in results if t is not None)
    try:
        while True:
            command = conn.recv()
            if command[0] == "collect":
                _, answer_id, deadline_in = command
                deadline = time.monotonic() + deadline_in
                while time.monotonic() < deadline:
                    with lock:
                        if len(received.get(answer_id, [])) >= connected:
                            break
                    time.sleep(0.01)
                with lock:
                    times = {}
                    for index, moment in received.get(answer_id, []):
                        times.setdefault(index, moment)  # the first copy counts
                conn.send(list(times.values()))
            elif command[0] == "stop":
                break
    finally:
        for sio in clients:
            try:
                sio.disconnect()
            except Exception:  # noqa: BLE001, S110 - closing anyway
                pass
        conn.send("stopped")


# --- the servers ---------------------------------------------------------------------------

def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """Two web processes and the outbox worker on a fresh database (see the module docstring)."""

    def __init__(self, database_url, redis_url, threads, outbox_interval, web_count=2):
        self.database_url, self.threads, self.web_count = database_url, threads, web_count
        self.outbox_interval = outbox_interval
        self.run_dir = Path(tempfile.mkdtemp(prefix="bench-live-"))
        base = redis_url.rsplit("/", 1)[0] if redis_url.count("/") > 2 else redis_url
        db_index = int(redis_url.rsplit("/", 1)[1]) if redis_url.count("/") > 2 else 2
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SOCKETIO_MESSAGE_QUEUE": f"{base}/{db_index}",
            "RATELIMIT_STORAGE_URI": f"{base}/{db_index + 1}",
            "SEARCH_BACKEND": "postgres",
            "OUTBOX_INLINE": "false",
            "SLA_INLINE": "false",
            "SEED_DEMO_ON_START": "false",
            "INSTANCE_PATH": str(self.run_dir / "instance"),
            "SECRET_KEY": secrets.token_hex(32),
            "PYTHONUNBUFFERED": "1",
        }
        self.procs = []
        self.urls = []

    def _flask(self, *args):
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "run", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=300)
        if result.returncode:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def _spawn(self, name, args):
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append((name, proc, log))

    def recreate_database(self):
        from sqlalchemy import create_engine, make_url, text

        url = make_url(self.database_url)
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()

    def start(self):
        import requests

        self.recreate_database()
        self._flask("db", "upgrade")
        self._flask("users", "create", "bench", "bench@example.com", "--password", PASSWORD, "--role", "staff")
        for n in range(self.web_count):
            port = _free_port()
            self._spawn(f"web-{n + 1}", [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1",
                                         "--threads", str(self.threads), "-b", f"127.0.0.1:{port}",
                                         "--graceful-timeout", "3", "--no-control-socket", "run:app"])
            self.urls.append(f"http://127.0.0.1:{port}")
        self._spawn("outbox", [sys.executable, "-m", "flask", "--app", "run", "outbox", "run",
                               "--interval", str(self.outbox_interval)])
        deadline = time.monotonic() + 60
        for url in self.urls:
            while True:
                for name, proc, _ in self.procs:
                    if proc.poll() is not None:
                        raise SystemExit(f"{name} exited; see {self.run_dir / (name + '.log')}")
                try:
                    with requests.get(f"{url}/api/v1/questions?per_page=1", timeout=2) as response:
                        if response.status_code == 200:
                            break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"{url} did not start; logs in {self.run_dir}")
                time.sleep(0.2)

    def stop(self):
        for _name, proc, log in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for _name, proc, log in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
            log.close()


# --- the measurement -----------------------------------------------------------------------

def _ms(seconds):
    return f"{seconds * 1000:7.0f} ms"


def _summary(latencies):
    if not latencies:
        return "min       - | p50       - | p95       - | max       -"
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return f"min {_ms(ordered[0])} | p50 {_ms(statistics.median(ordered))} | p95 {_ms(p95)} | max {_ms(ordered[-1])}"


def _api(session, method, url, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with session.request(method, url, headers=headers, timeout=REQUEST_TIMEOUT, **kwargs) as response:
        if response.status_code >= 400:
            raise SystemExit(f"{method} {url}: {response.status_code} {response.text[:300]}")
        return response.json()


def run(args):
    import requests

    servers = None
    urls = args.url
    username, password = args.username, args.password
    if not urls:
        threads = args.threads or (args.clients // 2 + 50)
        servers = Servers(args.database_url, args.redis, threads, args.outbox_interval)
        print(f"starting 2 web processes (--threads {threads}) and the outbox worker (--interval "
              f"{args.outbox_interval}); logs in {servers.run_dir}")
        servers.start()
        urls, username, password = servers.urls, "bench", PASSWORD
    elif not (username and password):
        raise SystemExit("--url needs --username and --password of a member who may answer (staff avoids the new-account limits)")

    workers = []
    ok = False
    try:
        with requests.Session() as http:
            token = _api(http, "POST", f"{urls[0]}/api/v1/auth/token", json={"username": username, "password": password})["token"]
            question_id = args.question_id or _api(http, "POST", f"{urls[0]}/api/v1/questions", token, json={
                "title": "Bench: live events to many readers", "tags": ["bench"],
                "body": "A question that many readers follow while answers arrive."})["question"]["id"]
            print(f"web processes: {', '.join(urls)}; question {question_id}")

            # Connect the clients, spread over the client processes.
            context = multiprocessing.get_context("spawn")
            procs = max(1, min(args.client_procs, args.clients))
            share = [args.clients // procs + (1 if n < args.clients % procs else 0) for n in range(procs)]
            started = time.monotonic()
            first = 0
            for count in share:
                parent, child = context.Pipe()
                process = context.Process(target=_client_process, daemon=True,
                                          args=(child, urls, first, count, question_id, args.connect_parallel))
                process.start()
                workers.append((process, parent))
                first += count
            connect_times, errors = [], []
            for _process, parent in workers:
                report = parent.recv()
                connect_times += report["connect_seconds"]
                errors += report["errors"]
            setup = time.monotonic() - started
            connected = len(connect_times)
            print(f"\nconnection setup: {connected} of {args.clients} clients connected and subscribed in {setup:.1f} s "
                  f"(processes included); per client {_summary(connect_times)}")
            for error in sorted(set(errors))[:5]:
                print(f"  error: {error} ({errors.count(error)}x)")
            time.sleep(1)

            overall, received_total = [], 0
            print()
            for round_no in range(1, args.rounds + 1):
                via = urls[(round_no - 1) % len(urls)]
                t0 = time.monotonic()
                answer = _api(http, "POST", f"{via}/api/v1/questions/{question_id}/answers", token,
                              json={"body": f"Bench answer {round_no}: restart the phone, then try again. {secrets.token_hex(4)}"})
                answer_id = answer["answer"]["id"]
                post_ms = (time.monotonic() - t0) * 1000
                for _process, parent in workers:
                    parent.send(("collect", answer_id, args.timeout))
                latencies = []
                for _process, parent in workers:
                    latencies += [moment - t0 for moment in parent.recv()]
                overall += latencies
                received_total += len(latencies)
                print(f"round {round_no:2d}: {len(latencies):4d}/{connected} received | {_summary(latencies)} "
                      f"| POST via {via.rsplit(':', 1)[1]} took {post_ms:.0f} ms")
                time.sleep(args.pause)
            print(f"overall: {received_total:4d}/{connected * args.rounds} received | {_summary(overall)}")
            ok = received_total == args.clients * args.rounds
    finally:
        for process, parent in workers:
            try:
                parent.send(("stop",))
                parent.recv()
            except (EOFError, OSError, BrokenPipeError):
                pass
            process.join(10)
            if process.is_alive():
                process.kill()
        if servers:
            servers.stop()
            if ok:
                shutil.rmtree(servers.run_dir, ignore_errors=True)
            else:
                print(f"logs kept in {servers.run_dir}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--client-procs", type=int, default=4, help="client processes the clients are spread over")
    parser.add_argument("--connect-parallel", type=int, default=8, help="connections opened at once per client process")
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per web process (default clients/2 + 50)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for an event per round")
    parser.add_argument("--outbox-interval", type=float, default=0.5,
                        help="`flask outbox run --interval`: seconds the idle worker waits between polls (its default)")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between rounds")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", f"postgresql+psycopg://{os.environ.get('PGUSER') or os.environ.get('USER') or 'root'}@127.0.0.1:5432/passaparola_bench_live"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2",
                        help="Redis for Socket.IO (this db) and the rate limits (the next db)")
    parser.add_argument("--url", action="append", help="a running web process (repeat); nothing is started then")
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--question-id", type=int)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
