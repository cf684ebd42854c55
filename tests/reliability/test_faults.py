"""Faults (issue 10): web processes killed at random moments under load, Redis and
PostgreSQL going away under load, and a full disk under SQLite. After each: nothing a
client was told is saved is lost, nothing refused is half-applied, every invariant holds.
"""

import os
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from search import service as search_service
from support import outbox
from support.extensions import db
from tests.figures import database_kind, record, scale
from tests.scaleout.conftest import PASSWORD, wait_until
from tests.scaleout.conftest import cluster, redis_server, run_dir, scale_database  # noqa: F401  (fixtures)
from tests.scaleout.test_two_processes import LiveClient, get_token

from .faults import (PageLoad, WriteBurst, ballast, crash, crash_and_restart, doctor_violations, durability,
                     free_bytes, kill_a_worker, recover, small_filesystem)
from .live import Client, LiveApp, fresh_database, status_counts
from .private_pg import PrivatePostgres

pytestmark = pytest.mark.slow

ON_SQLITE = database_kind() == "sqlite"


# --- web processes killed, PostgreSQL restarted, under load ------------------------------


@pytest.fixture
def restartable_database(tmp_path):
    """(DATABASE_URL, server): an SQLite file (server None), or on PostgreSQL a database on
    a private server that the test may stop and start (never the machine's own)."""
    if ON_SQLITE:
        yield fresh_database(tmp_path, "faults"), None
        return
    server = PrivatePostgres()
    try:
        server.start()
        yield server.create_database("pp_h5_faults"), server
    finally:
        server.remove()


def start_burst(live, members_count: int = 6) -> tuple[Client, WriteBurst]:
    """Members of a fresh LiveApp voting, answering and accepting on three questions."""
    members = live.accounts(*(f"member{n}" for n in range(members_count)))
    client = Client(live.base)
    questions = {client.ask(asker, f"Roaming stopped working after the update, case {n}",
                            "Since this morning the phone shows no network abroad.")["id"]: asker.id
                 for n, asker in enumerate(members[:3])}
    burst = WriteBurst(client, members, questions)
    burst.start()
    return client, burst


def restart_database(server, burst: WriteBurst, down_for: float) -> dict:
    """Stop PostgreSQL under the burst, start it again; return the figures of the outage.

    The outage, as clients see it, lasts from the stop to the first write that gets
    through after the start (recovered_after_s after it); failed_after_recovery counts the
    requests failing after that (a stale pooled connection handed to a request would).
    """
    served = burst.log.served
    stopped = time.monotonic()
    server.stop()
    time.sleep(down_for)
    server.start()
    back = time.monotonic()
    wait_until(lambda: burst.log.served >= served + 20 and burst.log.outcomes[-1].at > back + 1, 60,
               what="writes to get through after the restart")
    first_ok = min(o.at for o in burst.log.outcomes if o.at >= back and o.ok)
    during = [o for o in burst.log.outcomes if stopped <= o.at < first_ok]
    after = [o for o in burst.log.outcomes if o.at >= first_ok]
    return {"down_s": down_for, "requests_during_outage": len(during), "statuses_during_outage": status_counts(during),
            "statuses_after": status_counts(after), "recovered_after_s": round(first_ok - back, 2),
            "failed_after_recovery": sum(1 for o in after if not o.ok),
            "5xx_codes_during_outage": sorted({o.status_code for o in during if (o.status_code or 0) >= 500})}


def test_killed_processes_and_a_database_restart_lose_no_acknowledged_write(tmp_path, restartable_database):
    """kill -9 a gunicorn worker at random moments during a burst of votes, answers and
    accepts, and the whole server a few times; on PostgreSQL also stop and start the
    database server. Every 2xx write is kept, no failed one is half-applied, requests
    succeed again within seconds of the database's return (the pool reconnects), the
    outbox drains to zero and the search index matches the database."""
    kills, crashes = scale(10, 100), scale(1, 3)
    url, server = restartable_database
    live = LiveApp(url, tmp_path / "run", workers=2, threads=4, RATELIMIT_ENABLED="false")
    client = burst = None
    try:
        live.start()
        client, burst = start_burst(live)
        rng = random.Random(10)
        crash_after = {kills * (n + 1) // (crashes + 1) for n in range(crashes)}
        for n in range(1, kills + 1):
            kill_a_worker(live, rng, lambda: burst.log.served)
            if n in crash_after:
                crash_and_restart(live, client)
        restart = restart_database(server, burst, scale(2.0, 10.0)) if server else None
        burst.stop()
        crash(live)  # and a last one: what follows is the recovery

        with ThreadPoolExecutor(2) as pool:  # two CLI processes, each a few seconds of start-up
            recovering = pool.submit(recover, live)
            healthy, doctor_output = live.doctor()
            recovery = recovering.result()
        kept = durability(burst.log, {a: q for a, (q, _author) in burst.answers.items()}, live.sql)
        index = recovery.pop("index")
        counts = status_counts(burst.log.outcomes)
        record("faults", "kill -9 web processes", requests=len(burst.log.outcomes), statuses=counts, kills=kills,
               crashes=crashes + 1, writes_lost=kept["writes_lost"], half_applied=kept["half_applied"],
               applied_unknown=kept["applied_unknown"], problems=kept["problems"][:10], violations=doctor_violations(doctor_output),
               index_differences=sum(map(len, index.values())), **recovery)
        if restart:
            record("faults", "PostgreSQL restart", **restart)

        kinds = {o.kind for o in burst.log.outcomes if o.ok}
        assert kinds == {"answer", "vote", "accept"}, f"only {kinds} got through: {counts}"
        outage_5xx = restart["statuses_during_outage"]["5xx"] if restart else 0
        assert counts["5xx"] == outage_5xx, f"5xx while the database was up: {counts}\n{live.logs()[-5000:]}"
        if restart:
            assert restart["recovered_after_s"] < 5, restart
            assert restart["failed_after_recovery"] == 0, restart
            # The database's absence is an outage, said as one: 503 and Retry-After, never a 500.
            assert set(restart["5xx_codes_during_outage"]) <= {503}, restart
        assert not kept["problems"], kept["problems"][:20]
        assert recovery["outbox_pending_after"] == 0, recovery
        assert not any(index.values()), f"search index differs from the database: {index}"
        assert healthy, doctor_output
    finally:
        if burst is not None:
            burst.stop()
        if client is not None:
            client.close()
        live.stop()


# --- Redis away under load (scaled out) --------------------------------------------------


@pytest.mark.skipif(ON_SQLITE, reason="scale-out runs on PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://...")
def test_a_redis_outage_under_load_gives_no_5xx_and_live_clients_catch_up(cluster):
    """Two web processes, the outbox worker and Redis (tests/scaleout): Redis stops for a
    while under readers and writers on both processes. No 5xx; the login rate limit
    still holds, from each process's memory; once Redis is back, live clients on both
    processes receive every answer posted meanwhile."""
    outage = scale(8, 60)
    web1, web2 = cluster.web
    cluster.flask("users", "create", "helper", "helper@example.com", "--password", PASSWORD, "--role", "staff")
    token = get_token(web1, "helper")
    question = requests.post(f"{web1}/api/v1/questions", headers={"Authorization": f"Bearer {token}"}, timeout=30,
                             json={"title": "Roaming does not work in Switzerland", "tags": ["roaming"],
                                   "body": "I am in Lugano and have no mobile data since this morning."})
    question = question.json()["question"]
    clients = [LiveClient("anonymous on web 1", web1, question["id"]),
               LiveClient("member on web 2", web2, question["id"], token=token)]
    load = PageLoad(cluster.web, token, question["id"])
    try:
        for client in clients:
            assert client.wait_for(lambda c: c.subscriptions >= 1, 10), f"{client.name} did not subscribe"
        load.start()
        wait_until(lambda: load.log.served >= 10, 30, what="the load to get going")
        cluster.redis.stop()
        down = time.monotonic()
        login = {"username": "helper", "password": PASSWORD}
        logins = [requests.post(f"{base}/api/v1/auth/token", json=login, timeout=30)
                  for base in (web1, web2) for _ in range(10)]
        time.sleep(max(0.0, outage - (time.monotonic() - down)))
        cluster.redis.start()
        back = time.monotonic()
        wait_until(lambda: load.log.outcomes[-1].at > back + 1, 30, what="requests after Redis returned")
        load.stop()

        during = [o for o in load.log.outcomes if down <= o.at < back]
        posted = {o.result for o in load.log.outcomes if o.kind == "answer" and o.ok}
        caught_up = {c.name: c.wait_for(lambda c: posted <= set(c.answers), outage + 30) for c in clients}
        caught_up_after = round(time.monotonic() - back, 1)
        login_counts = status_counts(logins)
        try:
            doctor_output, healthy = cluster.flask("doctor"), True
        except AssertionError as failed:  # a violation: recorded, then the test fails
            doctor_output, healthy = str(failed), False
        record("faults", "Redis outage", outage_s=outage, requests=len(load.log.outcomes),
               requests_during_outage=len(during), statuses_during_outage=status_counts(during),
               statuses=status_counts(load.log.outcomes), logins_during_outage=login_counts,
               answers_posted=len(posted), clients_caught_up=sum(caught_up.values()),
               caught_up_after_s=caught_up_after, violations=doctor_violations(doctor_output))

        assert len(during) >= 20, f"too little load during the outage: {status_counts(during)}"
        assert status_counts(load.log.outcomes)["5xx"] == 0 and status_counts(load.log.outcomes)["error"] == 0, (
            status_counts(load.log.outcomes))
        assert login_counts["5xx"] == 0, login_counts
        # 6 logins a minute per address, counted by each process while Redis is away.
        assert login_counts["2xx"] <= 2 * 6 and login_counts["429"] >= 2 * 10 - 2 * 6, login_counts
        missing = {c.name: sorted(posted - set(c.answers))[:10] for c in clients}
        assert all(caught_up.values()), f"answers posted meanwhile never reached: {missing}"
        assert healthy, doctor_output
    finally:
        load.stop()
        for client in clients:
            client.close()


# --- effects left for another process ---------------------------------------------------


def test_an_outbox_worker_of_its_own_carries_out_every_effect(app_config, app, make, doctor):
    """Effects left in the outbox by a process that died (or by every web process, when
    scaled out) are carried out by a fresh `flask outbox run` process: one that never wrote
    points itself must still know how to deliver points and badge events."""
    app.config["OUTBOX_INLINE"] = False  # the effects wait in the outbox, as after a crash
    asker, helper = make.user(points=500), make.user(points=500)
    question = make.question(author=asker)
    answer = make.answer(question, author=helper)
    make.vote(asker, answer)
    make.accept(asker, answer)
    waiting = text("SELECT topic, COUNT(*) FROM outbox WHERE done_at IS NULL GROUP BY topic")
    topics = dict(db.session.execute(waiting).all())
    env = {**os.environ, "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret",
           "INSTANCE_PATH": app_config["INSTANCE_PATH"], "SEARCH_INDEX_DIR": app_config["SEARCH_INDEX_DIR"],
           "SEED_DEMO_ON_START": "false"}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "run", "outbox", "run", "--once"], env=env,
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    db.session.rollback()
    failed = db.session.execute(text("SELECT topic, last_error FROM outbox WHERE last_error IS NOT NULL")).all()
    record("faults", "fresh outbox worker", effects=sum(topics.values()), topics=sorted(topics), failed=len(failed))

    assert {"live.points", "search.refresh"} <= set(topics), topics
    assert done.returncode == 0, done.stderr
    assert not failed, failed
    assert "outbox: 0 pending" in done.stdout, done.stdout
    doctor()


# --- a full disk (SQLite) ------------------------------------------------------------------


@pytest.fixture
def full_disk(app_config, database_template, tmp_path):
    """A 3 MB filesystem holding the app's SQLite database and search index.

    Requested before `app`, so the app is built on it; unmounted after the app let go.
    """
    if database_template["kind"] != "sqlite":
        pytest.skip("the full-disk fault is about the embedded SQLite file (PostgreSQL runs on the machine's disk)")
    with small_filesystem(tmp_path / "small-disk", "3m") as disk:
        shutil.copy(database_template["path"], disk / "passaparola.db")
        app_config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{disk / 'passaparola.db'}"
        app_config["SEARCH_INDEX_DIR"] = str(disk / "search-index")
        # As on a real server, a request's outcome is its transaction's: side effects wait
        # in the outbox (drained below) instead of running inside the request, as tests' do.
        app_config["OUTBOX_INLINE"] = False
        yield disk


def answer_body(n: int) -> str:
    """About 4 KB of an answer, numbered so each one can be found again."""
    return (f"Answer {n}: " + "Switch airplane mode on and off, then restart the phone and wait. " * 60).strip()


def test_a_full_disk_gives_a_clear_error_and_corrupts_nothing(full_disk, app, make, api, client, doctor):
    """Answers fill a 3 MB disk: the refused one gets a 503 in the member's language (API
    and page), the ones saved before stay intact, the database passes integrity_check, and
    once space is freed the app writes again."""
    asker, helper = make.user(points=500), make.user(points=500, locale="it")
    question = make.question(author=asker)
    space = ballast(full_disk / "ballast", 512 * 1024)  # freed at the end, as an operator would
    api.as_user(helper)

    saved, refused = [], None
    for n in range(400):  # 3 MB hold far fewer answers of 4 KB: the disk fills first
        response = api.post(f"/api/v1/questions/{question.id}/answers", json={"body": answer_body(n)})
        if response.status_code != 201:
            refused = response
            break
        saved.append((response.get_json()["answer"]["id"], n))
    page = client.login_as(helper).post(f"/questions/{question.id}/answers", data={"body": answer_body(999)},
                                        csrf_from=f"/questions/{question.id}")
    full_free = free_bytes(full_disk)

    # Space comes back: the app works again and nothing written before was damaged.
    space.unlink()
    after = api.post(f"/api/v1/questions/{question.id}/answers", json={"body": answer_body(1000)})
    while outbox.drain()["done"]:
        pass
    pending, index = outbox.pending_count(), search_service.check()
    integrity = db.session.execute(text("PRAGMA integrity_check")).scalars().all()
    stored = dict(db.session.execute(text("SELECT id, body FROM answers WHERE question_id = :q"),
                                     {"q": question.id}).all())
    lost = [answer_id for answer_id, n in saved if stored.get(answer_id) != answer_body(n)]
    record("faults", "full disk (SQLite)", writes=len(saved) + 2, saved_before_full=len(saved),
           refused_status=refused.status_code if refused is not None else 0, page_status=page.status_code,
           writes_lost=len(lost), integrity=",".join(integrity), recovered_status=after.status_code,
           outbox_pending_after=pending, index_differences=sum(map(len, index.values())))

    assert refused is not None, f"the disk never filled ({full_free} bytes free after {len(saved)} answers)"
    assert saved, "not one answer fitted before the disk was full"
    assert refused.status_code == 503, refused.get_data(as_text=True)[:500]
    assert refused.get_json()["error"]["code"] == "storage_full"
    assert refused.headers["Retry-After"]
    assert page.status_code == 503
    assert "Traceback" not in page.get_data(as_text=True)
    # In the member's language (Italian here), like every other error page.
    assert "Riprova tra un momento" in page.get_data(as_text=True)
    assert "Riprova tra un momento" in refused.get_json()["error"]["message"]
    assert not lost, f"answers reported saved are gone or damaged: {lost}"
    assert integrity == ["ok"]
    assert after.status_code == 201, after.get_data(as_text=True)[:500]
    assert len(stored) == len(saved) + 1, "a refused answer was half-saved"
    assert pending == 0
    assert not any(index.values()), f"search index differs from the database: {index}"
    doctor()
