"""Two web processes, one outbox worker, Redis between them: live events reach the clients
of both processes, pages keep working while Redis is down, and the events of that time
still arrive once Redis is back (docs/deployment.md)."""

import threading
import time

import pytest
import requests
import socketio

from .conftest import ON_POSTGRES, PASSWORD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not ON_POSTGRES, reason="scale-out runs on PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://..."),
]

TIMEOUT = 10  # seconds for one HTTP request


class LiveClient:
    """A python-socketio client that follows one question and records the answers it is told of."""

    def __init__(self, name: str, url: str, question_id: int, token: str | None = None):
        self.name, self.url, self.question_id = name, url, question_id
        self.answers: list[int] = []
        self.subscriptions = 0
        self.connects = 0
        self._changed = threading.Condition()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=2,
                                   request_timeout=TIMEOUT)
        self.sio.on("connect", self._on_connect)
        self.sio.on("answer_posted", self._on_answer)
        self.sio.connect(url, transports=["websocket"], auth={"token": token} if token else None, wait_timeout=TIMEOUT)

    def _on_connect(self):
        # Subscribe again on every (re)connection: rooms belong to the connection.
        self.connects += 1
        self.sio.emit("subscribe", {"question_id": self.question_id}, callback=self._on_subscribed)

    def _on_subscribed(self, ack):
        with self._changed:
            if ack == {"ok": True}:
                self.subscriptions += 1
            self._changed.notify_all()

    def _on_answer(self, data):
        with self._changed:
            if data.get("question_id") == self.question_id:
                self.answers.append(data["answer_id"])
            self._changed.notify_all()

    def wait_for(self, predicate, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)

    def close(self):
        self.sio.disconnect()
        self.sio.shutdown()


def checked(response: requests.Response, status: int) -> dict | str:
    with response:
        assert response.status_code < 500, f"{response.request.method} {response.url}: {response.status_code}"
        assert response.status_code == status, f"{response.url}: {response.status_code} {response.text[:500]}"
        if response.headers.get("Content-Type", "").startswith("application/json"):
            return response.json()
        return response.text


def get_token(base: str, username: str) -> str:
    reply = checked(requests.post(f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD},
                                  timeout=TIMEOUT), 200)
    return reply["token"]


def post_answer(base: str, token: str, question_id: int, n: int) -> int:
    reply = checked(requests.post(f"{base}/api/v1/questions/{question_id}/answers",
                                  json={"body": f"Answer number {n}: switch airplane mode on and off, then restart."},
                                  headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT), 201)
    return reply["answer"]["id"]


def test_live_events_cross_processes_and_survive_a_redis_outage(cluster):
    web1, web2 = cluster.web
    cluster.flask("users", "create", "helper", "helper@example.com", "--password", PASSWORD, "--role", "staff")
    token = get_token(web1, "helper")
    question = checked(requests.post(f"{web1}/api/v1/questions", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT,
                                     json={"title": "Roaming does not work in Switzerland", "tags": ["roaming"],
                                           "body": "I am in Lugano and have no mobile data since this morning."}), 201)["question"]
    qid, page = question["id"], question["url"]

    clients = []
    try:
        clients.append(LiveClient("anonymous on web 1", web1, qid))
        clients.append(LiveClient("member on web 2", web2, qid, token=token))
        for client in clients:
            assert client.wait_for(lambda c: c.subscriptions >= 1, 10), f"{client.name} did not subscribe"

        # 1. An answer posted through web 2 reaches the clients of both processes.
        first = post_answer(web2, token, qid, 1)
        for client in clients:
            assert client.wait_for(lambda c: first in c.answers, 15), f"{client.name} missed answer {first}: {client.answers}"

        # 2. Redis goes away for a few seconds: both processes keep serving, writes work.
        cluster.redis.stop()
        down_since = time.monotonic()
        during = []
        for base in (web1, web2):
            checked(requests.get(f"{base}/", timeout=TIMEOUT), 200)
            checked(requests.get(f"{base}{page}", timeout=TIMEOUT), 200)
            checked(requests.get(f"{base}/api/v1/questions/{qid}", timeout=TIMEOUT), 200)
        get_token(web2, "helper")  # rate-limited endpoint: the limiter falls back to memory
        during.append(post_answer(web1, token, qid, 2))
        during.append(post_answer(web2, token, qid, 3))
        time.sleep(max(0.0, 4 - (time.monotonic() - down_since)))
        for base in (web1, web2):
            checked(requests.get(f"{base}{page}", timeout=TIMEOUT), 200)
        assert all(proc.alive() for proc in cluster.procs), "a process died while Redis was down"

        # 3. Redis is back: what was posted meanwhile arrives, and so does what comes next.
        cluster.redis.start()
        after = post_answer(web2, token, qid, 4)
        expected = {first, *during, after}
        for client in clients:
            assert client.wait_for(lambda c: expected <= set(c.answers), 30), (
                f"{client.name} got {client.answers}, expected {sorted(expected)}")
        assert all(client.sio.connected for client in clients)
    finally:
        for client in clients:
            client.close()
