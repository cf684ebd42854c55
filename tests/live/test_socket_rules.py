"""Who hears what over Socket.IO: rooms, authentication, origin, flooding, payloads."""

import threading
import time
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from support import outbox, realtime
from support.extensions import db, socketio
from support.models import OutboxEvent
from support.services import escalations, posts


def connect(app, user=None, **kw):
    """A Socket.IO client as a browser page opens it: with the session cookie of `user`."""
    http = app.test_client()
    if user is not None:
        with http.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    with app.app_context():  # its own `g`, as each connection has on a server
        return socketio.test_client(app, flask_test_client=http, **kw)


def received(client, name):
    return [m["args"][0] for m in client.get_received() if m["name"] == name]


@pytest.fixture
def clients():
    opened = []
    yield opened
    for client in opened:
        if client.is_connected():
            client.disconnect()


def test_a_member_hears_their_own_points_and_badges_in_their_language_and_nobody_else_does(app, make, clients):
    asker, helper = make.user(), make.user(locale="it")
    question = make.question(author=asker)
    answer = make.answer(question, author=helper)
    mine, theirs, anonymous = connect(app, helper), connect(app, asker), connect(app)
    clients += [mine, theirs, anonymous]
    for c in clients:
        c.get_received()

    make.accept(asker, answer)

    got = mine.get_received()
    points = [m["args"][0] for m in got if m["name"] == "points"]
    assert [p["delta"] for p in points] == [15]
    assert points[0]["text"].startswith("+15 punti: ")
    assert points[0]["total"] == db.session.get(type(helper), helper.id).points
    badges = [m["args"][0] for m in got if m["name"] == "badge"]
    assert badges and all(b["text"].startswith("Nuovo badge") for b in badges)
    bell = [m["args"][0] for m in got if m["name"] == "notification"]
    assert bell and bell[-1]["unread"] >= 2 and any(b["kind"] == "answer_accepted" for b in bell)
    assert not [m for m in anonymous.get_received() if m["name"] in ("points", "badge", "notification")]
    assert all(m["args"][0]["delta"] != 15 for m in theirs.get_received() if m["name"] == "points")


def test_nobody_can_ask_for_a_members_room_or_the_staff_room(app, make, clients):
    victim, staff, other = make.user(), make.staff(), make.user()
    question = make.question(author=victim)  # its commit also sends what the setup queued
    snoop = connect(app, other)
    clients.append(snoop)
    for ask in ({"room": f"user:{victim.id}"}, {"room": "staff"}, {"user_id": victim.id}, {"staff": True},
                {"question_id": str(question.id)}, {"question_id": True}, {"question_id": -1}, "staff", None, []):
        assert snoop.emit("subscribe", ask, callback=True) == {"ok": False}, ask
    snoop.get_received()

    escalations.escalate(staff, question.id, "Il cliente ha chiamato due volte")
    make.answer(question)

    names = {m["name"] for m in snoop.get_received()}
    assert not names & {"escalation", "notification", "points"}


def test_staff_hear_the_queue_and_members_do_not(app, make, clients):
    staff, asker = make.staff(), make.user()
    question = make.question(author=asker, title="La fattura di ottobre è doppia")
    desk, member = connect(app, staff), connect(app, asker)
    clients += [desk, member]
    desk.get_received(), member.get_received()

    escalations.escalate(asker, question.id, "Nessuno mi ha risposto")

    events = received(desk, "escalation")
    assert [(e["kind"], e["title"]) for e in events] == [("opened", "La fattura di ottobre è doppia")]
    assert received(member, "escalation") == []


def test_anonymous_viewers_follow_public_rooms_only_and_live_questions_only(app, make, clients):
    question, gone = make.question(), make.question()
    author = gone.author
    posts.delete_question(author, gone.id)
    viewer = connect(app)
    clients.append(viewer)

    assert viewer.emit("subscribe", {"question_id": question.id}, callback=True) == {"ok": True}
    assert viewer.emit("subscribe", {"leaderboard": True}, callback=True) == {"ok": True}
    assert viewer.emit("subscribe", {"question_id": gone.id}, callback=True) == {"ok": False}
    assert viewer.emit("subscribe", {"question_id": 999_999}, callback=True) == {"ok": False}


def test_the_leaderboard_room_hears_new_totals(app, make, clients):
    answer = make.answer(make.question(), author=make.user(display_name="Elena"))
    board = connect(app)
    clients.append(board)
    board.emit("subscribe", {"leaderboard": True}, callback=True)
    board.get_received()

    make.vote(make.user(points=20), answer)

    updates = [u for u in received(board, "leaderboard") if u["user_id"] == answer.author_id]
    assert updates and updates[-1]["name"] == "Elena"
    totals = updates[-1]["boards"]
    assert totals["all:0"] == db.session.get(type(answer.author), answer.author_id).points
    assert totals["week:0"] >= 10 and any(key.startswith("week:") and key != "week:0" for key in totals)


def test_a_connection_follows_at_most_twenty_rooms(app, make, clients):
    questions = [make.question() for _ in range(21)]
    viewer = connect(app)
    clients.append(viewer)
    answers = [viewer.emit("subscribe", {"question_id": q.id}, callback=True) for q in questions]
    assert answers[:20] == [{"ok": True}] * 20
    assert answers[20] == {"ok": False, "error": "too_many_rooms"}
    viewer.emit("unsubscribe", {"question_id": questions[0].id}, callback=True)
    assert viewer.emit("subscribe", {"question_id": questions[20].id}, callback=True) == {"ok": True}


def test_a_flooding_client_is_refused_then_disconnected(app, make, clients, monkeypatch):
    question = make.question()
    monkeypatch.setattr(realtime, "throttle", realtime.Throttle(limit=5, window=0.2, strikes=2))
    flooder, calm = connect(app), connect(app)
    clients += [flooder, calm]

    replies = [flooder.emit("subscribe", {"question_id": question.id}, callback=True) for _ in range(8)]
    assert replies[:5] == [{"ok": True}] * 5
    assert replies[5:] == [{"ok": False, "error": "rate_limited"}] * 3
    assert flooder.emit("made_up_event", {"x": 1}, callback=True) == {"ok": False, "error": "rate_limited"}
    assert calm.emit("subscribe", {"question_id": question.id}, callback=True) == {"ok": True}  # per connection

    time.sleep(0.25)  # a second window, still flooding: gone
    for _ in range(7):
        if not flooder.is_connected():
            break
        flooder.emit("subscribe", {"question_id": question.id})
    assert not flooder.is_connected()
    assert calm.is_connected()


def test_the_throttle_forgives_a_calm_window():
    throttle = realtime.Throttle(limit=2, window=10, strikes=2)
    assert [throttle.allow("a", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert throttle.allow("a", now=11) is True  # a new window
    assert throttle.allow("a", now=25) is True  # calm for a whole window: strikes forgotten
    assert [throttle.allow("a", now=26 + i / 10) for i in range(3)] == [True, False, False]
    assert [throttle.allow("a", now=36 + i / 10) for i in range(3)] == [True, True, None]  # second strike in a row


@pytest.mark.parametrize("origin,status", [
    ("http://evil.example", 400),
    ("http://localhost.evil.example", 400),
    ("null", 400),
    ("http://localhost", 200),
])
def test_a_foreign_origin_cannot_open_a_connection(app, origin, status):
    response = app.test_client().get("/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    assert response.status_code == status


def test_payloads_carry_sanitized_html_only(app, make, clients):
    question = make.question()
    viewer = connect(app)
    clients.append(viewer)
    viewer.emit("subscribe", {"question_id": question.id}, callback=True)
    viewer.get_received()

    make.answer(question, body=(
        'Prova così <script>alert(1)</script> <img src=x onerror="alert(2)"> '
        '[link](javascript:alert(3)) <a href="javascript:alert(4)">x</a> e riavvia il telefono.'
    ))

    body = received(viewer, "answer_posted")[0]["body_html"]
    tags = Tags()
    tags.feed(body)
    assert {tag for tag, _ in tags.seen} <= {"p", "a", "strong", "em", "code"}
    assert all(not name.startswith("on") and "javascript:" not in (value or "")
               for _, attrs in tags.seen for name, value in attrs)
    assert "riavvia il telefono" in body


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def test_every_emit_happens_in_the_outbox_drain_after_commit(app, make, monkeypatch):
    """Wrap every outbox handler; an emit from anywhere else (a view, a service, a
    receiver inside the transaction) is caught red-handed."""
    state = threading.local()
    emits = []
    real_emit = socketio.emit

    def recording_emit(event, *args, **kwargs):
        emits.append((event, getattr(state, "draining", False)))
        return real_emit(event, *args, **kwargs)

    def wrap(handler):
        def draining(payload):
            state.draining = True
            try:
                return handler(payload)
            finally:
                state.draining = False
        return draining

    monkeypatch.setattr(socketio, "emit", recording_emit)
    monkeypatch.setattr(outbox, "_handlers", {topic: wrap(fn) for topic, fn in outbox._handlers.items()})
    app.config["OUTBOX_INLINE"] = False  # nothing drains until we say so

    asker, staff = make.user(), make.staff()
    question = make.question(author=asker)
    answer = make.answer(question)
    make.vote(make.user(points=20), answer)
    make.accept(asker, answer)
    posts.post_comment(asker, "Grazie mille, ora funziona!", answer_id=answer.id)
    other = make.question(author=asker)
    escalations.escalate(staff, other.id, "Da verificare")
    assert emits == []  # the services wrote outbox rows, nobody heard anything yet
    pending = db.session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.done_at.is_(None)))
    assert pending > 10

    while outbox.drain()["done"]:
        pass

    names = {name for name, _ in emits}
    assert {"answer_posted", "vote_changed", "answer_accepted", "comment_posted", "points", "badge",
            "notification", "leaderboard", "escalation"} <= names
    assert all(draining for _, draining in emits)
