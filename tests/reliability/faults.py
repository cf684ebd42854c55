"""Fault injection for the reliability battery (issue 10, "Faults"): a small filesystem that
fills up, a request log that tells what each write did, and the checks run after recovery.

The tests themselves are in test_faults.py; a private PostgreSQL server that may be
restarted is in private_pg.py.
"""

import itertools
import json
import os
import random
import re
import shutil
import subprocess
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.scaleout.conftest import wait_until


# --- a full disk -------------------------------------------------------------------------


@contextmanager
def small_filesystem(path: Path, size: str = "3m"):
    """Mount a tmpfs of `size` at `path` for the block (skip the test where mounting is refused).

    Always unmounted afterwards, lazily if a file is still open, so a failing test never
    leaves a mount behind.
    """
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'mount failed'})")
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def ballast(path: Path, size: int) -> Path:
    """Take `size` bytes of the filesystem with a file; deleting it is how space is freed."""
    with open(path, "wb") as fh:
        fh.write(b"\0" * size)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


# --- requests and what they did ----------------------------------------------------------


@dataclass
class Outcome:
    """One write sent during a fault: what it asked for, and what the client was told."""

    kind: str  # "answer", "vote", "accept"
    target: int  # the question answered, the answer voted on or accepted
    actor: int  # the member's id
    status_code: int | None  # None: no response (the process died, the connection was refused)
    value: int | None = None  # a vote's value (0: retracted); an answer's mark in its body
    result: int | None = None  # the id of a saved answer
    at: float = 0.0  # time.monotonic() when the outcome was known

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def unknown(self) -> bool:
        """The client cannot tell whether it was saved: no response (the process died), or a
        server error (the database went away, perhaps after the commit but before its
        acknowledgement). Either way is right; half of it never is."""
        return self.status_code is None or self.status_code >= 500


class RequestLog:
    """Every request of a burst with its outcome, shared by the client threads."""

    def __init__(self):
        self.outcomes: list[Outcome] = []
        self.served = 0  # how many got a 2xx
        self._lock = threading.Lock()

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self.outcomes.append(outcome)
            self.served += outcome.ok


# --- a burst of writes while processes die -------------------------------------------------


class Loops:
    """Threads that each run a loop until `stop()`; the load generators below are made of them."""

    def __init__(self, loops: list[tuple], join_timeout: float):
        self.log = RequestLog()
        self.sequence = itertools.count(1)
        self._stop = threading.Event()
        self._join_timeout = join_timeout
        self._threads = [threading.Thread(target=target, args=args, daemon=True) for target, args in loops]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(self._join_timeout)


class WriteBurst(Loops):
    """Members voting, answering and accepting from one thread each until stopped.

    Each member's requests go one after the other, so the order of what one member asked
    is known: the database must end in the state of that member's last request that got a
    2xx, or of a later one whose outcome the client never learnt (its process died).
    Timeouts are long on purpose: a request fails only when its process dies, never while
    it may still be running behind the client's back.
    """

    def __init__(self, client, members, questions: dict[int, int], seed: int = 10):
        self.client = client  # live.Client; its .base changes when the server restarts
        self.questions = questions  # question id -> asker's member id
        self.answers: dict[int, tuple[int, int]] = {}  # answer id -> (question id, author id): known ones
        self._lock = threading.Lock()
        seeds = random.Random(seed)
        super().__init__([(self._member_loop, (m, seeds.random())) for m in members], join_timeout=120)

    def _member_loop(self, member, seed: float) -> None:
        rng = random.Random(seed)
        while not self._stop.is_set():
            own = [q for q, asker in self.questions.items() if asker == member.id]
            with self._lock:
                candidates = [(a, q) for a, (q, author) in self.answers.items() if author != member.id]
            roll = rng.random()
            if own and roll < 0.2:
                mine = [a for a, q in candidates if q in own]
                if mine:
                    self._send(member, "accept", rng.choice(mine), "POST", "/api/v1/answers/{}/accept")
                    continue
            if candidates and roll < 0.7:
                answer_id = rng.choice(candidates)[0]
                value = rng.choice((1, 1, -1, 0))
                if value:
                    self._send(member, "vote", answer_id, "POST", "/api/v1/answers/{}/votes", value=value)
                else:
                    self._send(member, "vote", answer_id, "DELETE", "/api/v1/answers/{}/votes", value=0)
                continue
            others = [q for q, asker in self.questions.items() if asker != member.id]
            self._send(member, "answer", rng.choice(others), "POST", "/api/v1/questions/{}/answers")

    def _send(self, member, kind: str, target: int, method: str, path: str, value: int | None = None) -> None:
        body = None
        if kind == "vote" and value:
            body = {"value": value}
        elif kind == "answer":
            value = next(self.sequence)  # the answer's mark, found again in its body
            body = {"body": f"Fault test answer mark-{value}-end: restart the phone, then check the APN settings."}
        outcome = Outcome(kind, target, member.id, None, value=value)
        try:
            response = self.client.call(method, path.format(target), body, member, timeout=60)
        except requests.RequestException:
            pass  # the process died with the request, or the server is down: outcome unknown
        else:
            outcome.status_code = response.status_code
            if kind == "answer" and outcome.ok:
                answer_id = response.json()["answer"]["id"]
                outcome.result = answer_id
                with self._lock:
                    self.answers[answer_id] = (target, member.id)
        outcome.at = time.monotonic()
        self.log.add(outcome)
        if outcome.status_code is None or outcome.status_code >= 500:
            time.sleep(0.1)  # a real client would not hammer a server that is down either


# --- after the fault: what was kept ----------------------------------------------------------


def _final_state_problems(outcomes: list[Outcome], final, initial) -> tuple[int, int]:
    """(lost, half) for one member's requests on one thing, oldest first, given the final state.

    The final state must be the value of the last 2xx request, or of a later request whose
    outcome is unknown; with no 2xx, the initial state or an unknown one. A 2xx not kept is
    a lost write; any other final state shows a refused write applied.
    """
    last_ok = max((i for i, o in enumerate(outcomes) if o.ok), default=None)
    allowed = {outcomes[last_ok].value if last_ok is not None else initial}
    allowed |= {o.value for o in outcomes[(last_ok if last_ok is not None else -1) + 1:] if o.unknown}
    if final in allowed:
        return 0, 0
    return (1, 0) if last_ok is not None else (0, 1)


def durability(log: RequestLog, answers_of: dict[int, int], sql) -> dict:
    """Compare every logged write with the database after recovery.

    `answers_of` maps answer ids to their question; `sql` runs a read-only query. Returns
    the figures: writes_lost (a 2xx not kept), half_applied (a refused write visible, or a
    counter of something a failed write touched that disagrees with its facts),
    applied_unknown (writes of unknown outcome, see Outcome.unknown, found saved: allowed) and
    `problems`, a description of each.
    """
    figures = {"writes_lost": 0, "half_applied": 0, "applied_unknown": 0}
    problems = []
    stored = {}
    for answer_id, question_id, author_id, body in sql("SELECT id, question_id, author_id, body FROM answers"):
        if "mark-" in body:
            stored[int(body.split("mark-", 1)[1].split("-", 1)[0])] = (answer_id, question_id, author_id)
    for o in (o for o in log.outcomes if o.kind == "answer"):
        found = stored.get(o.value)
        if o.ok and found != (o.result, o.target, o.actor):
            figures["writes_lost"] += 1
            problems.append(f"answer {o.result} (mark {o.value}) got {o.status_code} but is stored as {found}")
        elif not o.ok and found and not o.unknown:
            figures["half_applied"] += 1
            problems.append(f"answer mark {o.value} was refused ({o.status_code}) but is stored as {found}")
        elif o.unknown and found:
            figures["applied_unknown"] += 1

    answer_votes = sql("SELECT voter_id, answer_id, value FROM votes WHERE answer_id IS NOT NULL")
    votes = {(voter, answer): value for voter, answer, value in answer_votes}
    accepted = dict(sql("SELECT id, accepted_answer_id FROM questions"))
    groups: dict = {}
    for o in log.outcomes:
        if o.kind == "vote":
            groups.setdefault(("vote", o.actor, o.target), []).append(o)
        elif o.kind == "accept":
            groups.setdefault(("accept", answers_of[o.target]), []).append(o)
    for key, outcomes in groups.items():
        if key[0] == "vote":
            final, initial = votes.get(key[1:], 0), 0
        else:
            final, initial = accepted.get(key[1]), None
            outcomes = [Outcome(o.kind, o.target, o.actor, o.status_code, value=o.target) for o in outcomes]
        lost, half = _final_state_problems(outcomes, final, initial)
        if lost or half:
            figures["writes_lost"] += lost
            figures["half_applied"] += half
            problems.append(f"{key}: ends as {final} after {[(o.value, o.status_code) for o in outcomes]}")

    # What failed writes touched must still add up (a vote without its score, an answer
    # without its question's counter).
    touched_answers = {o.target for o in log.outcomes if o.kind == "vote" and not o.ok}
    touched_questions = {o.target for o in log.outcomes if o.kind == "answer" and not o.ok}
    for answer_id, score, total in sql("SELECT a.id, a.score, COALESCE(SUM(v.value), 0) FROM answers a "
                                       "LEFT JOIN votes v ON v.answer_id = a.id GROUP BY a.id, a.score"):
        if answer_id in touched_answers and score != total:
            figures["half_applied"] += 1
            problems.append(f"answer {answer_id} has score {score}, its votes sum to {total}")
    counted = sql("SELECT q.id, q.answer_count, COUNT(a.id) FROM questions q LEFT JOIN answers a "
                  "ON a.question_id = q.id AND a.deleted_at IS NULL GROUP BY q.id, q.answer_count")
    for question_id, count, total in counted:
        if question_id in touched_questions and count != total:
            figures["half_applied"] += 1
            problems.append(f"question {question_id} counts {count} answers, has {total}")
    figures["problems"] = problems
    return figures


# Run after the server stopped, with its settings (LiveApp.python): claims left by killed
# processes would expire after outbox.CLAIM_SECONDS and retries wait out their backoff;
# both are brought forward (nobody else drains now), then the outbox is drained and the
# search index compared with the database. Prints one JSON line.
RECOVERY_SCRIPT = """
import json
from sqlalchemy import func, select, update
from run import app
from search import service
from support import outbox
from support.database import write_transaction
from support.models import OutboxEvent
from support.models.base import utcnow

with app.app_context():
    with write_transaction() as session:
        waiting = OutboxEvent.done_at.is_(None)
        orphaned = session.execute(update(OutboxEvent).where(waiting, OutboxEvent.claimed_until.is_not(None))
                                   .values(claimed_until=None, claim_token=None)).rowcount
        retried = session.execute(update(OutboxEvent).where(waiting, OutboxEvent.attempts > 0)
                                  .values(available_at=utcnow())).rowcount
    before = outbox.pending_count()
    while outbox.drain()["done"]:
        pass
    failing = session.scalar(select(func.count()).where(OutboxEvent.last_error.is_not(None)))
    report = service.check()
    print("RECOVERY " + json.dumps({"orphaned_claims": orphaned, "retried": retried, "pending_before": before,
                                    "outbox_pending_after": outbox.pending_count(), "failed_once": failing,
                                    "index": report}))
"""


def recover(live) -> dict:
    """Drain the outbox of a stopped LiveApp and compare its search index with the database."""
    output = live.python(RECOVERY_SCRIPT)
    return json.loads(output.split("RECOVERY ", 1)[1])


# --- killing processes --------------------------------------------------------------------


def kill_a_worker(live, rng: random.Random, served) -> int:
    """SIGKILL one of gunicorn's workers at a random moment of a busy server.

    Waits until the master has a full set of workers again and `served()` (the count of
    2xx so far) shows a few more writes got through, so kills land among writes in flight
    rather than one after the other on a server still starting; then kills a random
    worker within half a second.
    """
    before = served()
    wait_until(lambda: len(live.workers()) == live.workers_count and served() >= before + 3, 60, 0.02,
               what="gunicorn to replace its worker and serve again")
    time.sleep(rng.uniform(0.0, 0.5))
    pid = rng.choice(live.workers())
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: pid not in live.workers(), 10, 0.02, what=f"worker {pid} to be gone")
    return pid


def crash(live) -> None:
    """SIGKILL the whole server at once, master and workers (a power cut, an OOM kill)."""
    os.killpg(live.master_pid, signal.SIGKILL)
    live.stop()


def crash_and_restart(live, client) -> None:
    """Crash the server, then start it again on the same database."""
    crash(live)
    live.start()
    client.base = live.base


# --- readers and writers on several web processes ------------------------------------------


class PageLoad(Loops):
    """Threads reading a question (page and API) and answering it, on every web process in
    turn, until stopped; each request logged as an Outcome ("page", "read", "answer")."""

    def __init__(self, bases: list[str], token: str, question_id: int, threads: int = 4):
        self.bases, self.token, self.question_id = bases, token, question_id
        super().__init__([(self._loop, (n,)) for n in range(threads)], join_timeout=60)

    def _loop(self, n: int) -> None:
        auth = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        with requests.Session() as session:
            for turn in itertools.count(n):
                if self._stop.is_set():
                    return
                base = self.bases[turn % len(self.bases)]
                self._send(session, "page", "GET", f"{base}/questions/{self.question_id}", {})
                self._send(session, "read", "GET", f"{base}/api/v1/questions/{self.question_id}",
                           {"Accept": "application/json"})
                mark = next(self.sequence)
                body = {"body": f"Load answer mark-{mark}-end: turn roaming off and on again in the settings."}
                self._send(session, "answer", "POST", f"{base}/api/v1/questions/{self.question_id}/answers", auth, body)

    def _send(self, session, kind: str, method: str, url: str, headers: dict, body=None) -> None:
        outcome = Outcome(kind, self.question_id, 0, None)
        try:
            response = session.request(method, url, json=body, headers=headers, timeout=30)
        except requests.RequestException:
            pass
        else:
            outcome.status_code = response.status_code
            if kind == "answer" and outcome.ok:
                outcome.result = response.json()["answer"]["id"]
        outcome.at = time.monotonic()
        self.log.add(outcome)


def doctor_violations(output: str) -> int:
    """The number of violations in `flask doctor`'s summary line (1 if it has none)."""
    found = re.search(r"(\d+) violation", output)
    return int(found.group(1)) if found else 1 if "all invariants hold" not in output else 0
