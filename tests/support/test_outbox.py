"""The outbox: side effects survive failures, run once, drain from the CLI, reach live clients."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from support import outbox
from support.errors import Invalid
from support.extensions import db, socketio
from support.models import OutboxEvent
from support.services import posts

START = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def calls(monkeypatch):
    """Handlers for test topics: `ok` always works, `flaky` fails until told otherwise."""
    seen = []
    state = {"fail": True}

    def ok(payload):
        seen.append(("ok", payload["n"]))

    def flaky(payload):
        seen.append(("flaky", payload["n"]))
        if state["fail"]:
            raise ConnectionError("webhook endpoint down")

    monkeypatch.setitem(outbox._handlers, "test.ok", ok)
    monkeypatch.setitem(outbox._handlers, "test.flaky", flaky)
    return seen, state


def add(topic, n):
    outbox.enqueue(topic, {"n": n})
    db.session.commit()


def row(topic):
    db.session.expire_all()
    return db.session.scalar(select(OutboxEvent).where(OutboxEvent.topic == topic))


def test_a_done_row_is_not_run_twice(app, calls):
    seen, _ = calls
    add("test.ok", 1)
    assert outbox.drain() == {"done": 1, "failed": 0}
    assert outbox.drain() == {"done": 0, "failed": 0}
    assert seen == [("ok", 1)]
    assert row("test.ok").done_at is not None
    assert outbox.pending_count() == 0


def test_a_failing_handler_is_retried_later_with_backoff_and_keeps_its_row(app, calls):
    seen, state = calls
    with time_machine.travel(START, tick=False) as clock:
        add("test.flaky", 1)
        add("test.ok", 2)
        assert outbox.drain() == {"done": 1, "failed": 1}  # one failure does not stop the others
        failed = row("test.flaky")
        assert failed.done_at is None and failed.attempts == 1
        assert failed.last_error == "ConnectionError: webhook endpoint down"
        first_wait = failed.available_at - START
        assert timedelta(0) < first_wait <= timedelta(minutes=1)

        assert outbox.drain() == {"done": 0, "failed": 0}  # not before its time
        clock.shift(first_wait + timedelta(seconds=1))
        assert outbox.drain() == {"done": 0, "failed": 1}
        second = row("test.flaky")
        assert second.attempts == 2
        assert second.available_at - (START + first_wait + timedelta(seconds=1)) > first_wait  # waits longer

        state["fail"] = False
        clock.shift(timedelta(hours=1))
        assert outbox.drain() == {"done": 1, "failed": 0}
    done = row("test.flaky")
    assert done.done_at is not None and done.attempts == 3
    assert seen == [("flaky", 1), ("ok", 2), ("flaky", 1), ("flaky", 1)]


def test_backoff_grows_and_is_capped(app):
    waits = [outbox.backoff(n) for n in range(1, 20)]
    assert waits == sorted(waits)
    assert waits[0] >= timedelta(seconds=1) and waits[-1] <= timedelta(hours=1)


def test_a_row_that_keeps_failing_is_given_up_but_kept_with_its_error(app, calls):
    seen, _ = calls
    with time_machine.travel(START, tick=False) as clock:
        add("test.flaky", 1)
        for _ in range(outbox.MAX_ATTEMPTS):
            outbox.drain()
            clock.shift(timedelta(hours=2))
        assert outbox.drain() == {"done": 0, "failed": 0}
    kept = row("test.flaky")
    assert kept.attempts == outbox.MAX_ATTEMPTS and kept.last_error
    assert len(seen) == outbox.MAX_ATTEMPTS


def test_a_row_without_a_handler_is_not_lost(app):
    add("test.nobody-handles-this", 1)
    assert outbox.drain() == {"done": 0, "failed": 1}
    lost = row("test.nobody-handles-this")
    assert lost.done_at is None and "no outbox handler" in lost.last_error


def test_a_rolled_back_service_leaves_no_outbox_row(make):
    question, member = make.question(), make.user()
    before = db.session.scalar(select(db.func.count()).select_from(OutboxEvent))
    with pytest.raises(Invalid):
        posts.post_answer(member, question.id, "short")
    assert db.session.scalar(select(db.func.count()).select_from(OutboxEvent)) == before


def test_flask_outbox_run_once_drains(app, calls):
    seen, _ = calls
    for n in range(3):
        add("test.ok", n)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "3 done, 0 failed" in result.output
    assert "0 pending" in result.output
    assert sorted(seen) == [("ok", 0), ("ok", 1), ("ok", 2)]


def test_flask_outbox_run_once_reports_failures_and_keeps_them(app, calls):
    add("test.flaky", 1)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0
    assert "0 done, 1 failed" in result.output and "1 pending" in result.output


# --- the live consumer -------------------------------------------------------------------

def live_client(app):
    return socketio.test_client(app, flask_test_client=app.test_client())


def names(client):
    return [message["name"] for message in client.get_received()]


def test_answer_posted_reaches_the_subscribers_of_the_question_only(app, make):
    question = make.question()
    other = make.question()
    watcher, bystander, elsewhere = live_client(app), live_client(app), live_client(app)
    try:
        assert watcher.is_connected()
        assert watcher.emit("subscribe", {"question_id": question.id}, callback=True) == {"ok": True}
        assert elsewhere.emit("subscribe", {"question_id": other.id}, callback=True) == {"ok": True}
        for client in (watcher, bystander, elsewhere):
            client.get_received()

        answer = posts.post_answer(make.user(display_name="Luca"), question.id, "Try **airplane mode** on and off.")

        received = [m for m in watcher.get_received() if m["name"] == "answer_posted"]
        assert len(received) == 1
        payload = received[0]["args"][0]
        assert payload["question_id"] == question.id and payload["answer_id"] == answer.id
        assert payload["author"] == "Luca"
        assert payload["body_html"] == "<p>Try <strong>airplane mode</strong> on and off.</p>\n"
        assert "answer_posted" not in names(bystander)
        assert "answer_posted" not in names(elsewhere)
    finally:
        for client in (watcher, bystander, elsewhere):
            client.disconnect()


def test_unsubscribe_stops_the_events(app, make):
    question = make.question()
    watcher = live_client(app)
    try:
        watcher.emit("subscribe", {"question_id": question.id}, callback=True)
        assert watcher.emit("unsubscribe", {"question_id": question.id}, callback=True) == {"ok": True}
        watcher.get_received()
        posts.post_answer(make.user(), question.id, "Try airplane mode on and off.")
        assert "answer_posted" not in names(watcher)
    finally:
        watcher.disconnect()


def test_bad_subscriptions_are_refused_politely(app, subtests):
    client = live_client(app)
    try:
        for data in [None, {}, {"question_id": "1"}, {"question_id": True}, {"question_id": -1},
                     {"question_id": 2**70}, [1], "question:1"]:
            with subtests.test(data=data):
                assert client.emit("subscribe", data, callback=True) == {"ok": False}
                assert client.is_connected()
    finally:
        client.disconnect()


def test_a_bad_token_cannot_connect(app):
    client = socketio.test_client(app, auth={"token": "pp_not-a-token"}, flask_test_client=app.test_client())
    assert not client.is_connected()


def test_a_batch_handler_gets_every_claimed_row_of_its_topic_at_once_and_they_retry_together(app, monkeypatch):
    batches, state = [], {"fail": True}

    def index(payloads):
        batches.append([p["n"] for p in payloads])
        if state["fail"]:
            raise ConnectionError("index locked")

    monkeypatch.setitem(outbox._handlers, "test.batch", index)
    monkeypatch.setattr(outbox, "_batched", {"test.batch"})
    with time_machine.travel(START, tick=False) as clock:
        for n in range(3):
            outbox.enqueue("test.batch", {"n": n})
        db.session.commit()
        assert outbox.drain() == {"done": 0, "failed": 3}
        assert batches == [[0, 1, 2]]
        state["fail"] = False
        clock.shift(timedelta(seconds=3))
        assert outbox.drain() == {"done": 3, "failed": 0}
    assert batches == [[0, 1, 2], [0, 1, 2]]
    assert outbox.pending_count() == 0


def test_votes_waiting_in_the_outbox_refresh_the_search_index_in_one_write(app, make, monkeypatch):
    from search import service

    question = make.question(title="Il modem della fibra si spegne di notte")
    answer = make.answer(question, body="Cambia l'alimentatore del modem.")
    make.accept(question.author, answer)  # votes on the accepted answer change its rank
    voters = [make.user() for _ in range(5)]
    writes = []
    real_index = service.backend().index.__func__

    def counting(self, docs):
        writes.append(len(docs))
        return real_index(self, docs)

    monkeypatch.setattr(type(service.backend()), "index", counting)
    monkeypatch.setitem(app.config, "OUTBOX_SYNC", False)  # votes wait in the outbox, drained below
    monkeypatch.setitem(app.config, "OUTBOX_INLINE", False)
    for voter in voters:
        make.vote(voter, answer)
    outbox.drain()
    assert writes == [1]  # five votes on one thread: one document written once
    hit = service.search("modem fibra").hits[0]
    assert hit.question_id == question.id and hit.votes == 5
