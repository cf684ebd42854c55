"""What the site learns about a member and shows back: "Your topics", the read beacon, notifications."""

import re

from sqlalchemy import select

from support import notify
from support.extensions import db
from support.models import Notification, Tag, TagInterest
from support.services import accounts

from .helpers import counted_queries, elements, flashes, location, text


def topics_shown(response) -> list[tuple[str, bool]]:
    """The "Your topics" strip as (tag, learned) pairs, in the order shown."""
    body = response.get_data(as_text=True)
    strip = re.search(r'<ul class="topic-strip">(.*?)</ul>', body, re.S)
    if not strip:
        return []
    return [(name, kind == "learned") for kind, name in
            re.findall(r'class="tag tag-(learned|followed)"[^>]*>([^<]+)</a>', strip.group(1))]


def fresh_shown(response) -> list[int]:
    body = response.get_data(as_text=True)
    block = re.search(r'<section class="fresh-in-topics".*?</section>', body, re.S)
    return [int(i) for i in re.findall(r'<li class="fresh-question">\s*<a href="/questions/(\d+)"', block.group(0))] \
        if block else []


def follow(user, tags):
    accounts.update_preferences(user.id, followed_tags=tags)
    db.session.commit()




# --- "Your topics" on the home page -----------------------------------------------------

def test_anonymous_visitors_see_the_page_as_before(client, make):
    make.question(tags=("roaming",))
    page = client.get("/")
    assert page.status_code == 200
    assert topics_shown(page) == []
    assert "Your topics" not in text(page) and "New in your topics" not in text(page)


def test_followed_tags_come_first_then_learned_ones(client, make):
    member = make.user()
    follow(member, "sim roaming")
    make.question(author=member, tags=("esim", "sim"))  # asking teaches "esim" (weight 3)
    client.login_as(member)
    page = client.get("/")
    assert topics_shown(page) == [("roaming", False), ("sim", False), ("esim", True)]
    assert "suggested from what you read and ask" in text(page)
    links = [a.get("href") for tag, a in elements(page).tags if tag == "a" and "tag-learned" in a.get("class", "")]
    assert links == ["/questions?tag=esim"]


def test_a_member_with_no_topics_sees_no_strip(client, make):
    make.question(tags=("sim",))
    client.login_as(make.user())
    page = client.get("/")
    assert topics_shown(page) == []


def test_new_in_your_topics_lists_recent_unsolved_questions_of_others(client, make):
    member, other = make.user(), make.user()
    follow(member, "bonifico")
    solved = make.question(author=other, tags=("bonifico",))
    make.accept(other, make.answer(solved))
    fresh = [make.question(author=other, tags=("bonifico",)) for _ in range(6)]
    make.question(author=other, tags=("roaming",))
    make.question(author=member, tags=("bonifico",))  # one's own question is not news
    client.login_as(member)
    page = client.get("/")
    assert fresh_shown(page) == [q.id for q in reversed(fresh)][:5]
    # Only on the plain list: a filter or a sort shows what was asked for.
    assert fresh_shown(client.get("/?tag=bonifico")) == []
    assert fresh_shown(client.get("/?status=open")) == []
    assert fresh_shown(client.get("/?page=2")) == []


def test_topics_cost_a_few_queries_however_many_there_are(client, make):
    member, other = make.user(), make.user()
    client.login_as(member)
    with counted_queries() as before:
        client.get("/")
    follow(member, " ".join(f"tag{i}" for i in range(8)))
    for i in range(8):
        make.question(author=other, tags=(f"tag{i}", f"extra{i}"))
    with counted_queries() as after:
        assert len(fresh_shown(client.get("/"))) == 5
    assert len(after) - len(before) <= 4, after


# --- learning from reading -------------------------------------------------------------

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def test_reading_a_thread_teaches_its_tags(client, make):
    question = make.question(tags=("fibra", "modem"))
    member = make.user()
    client.login_as(member)
    token = client.csrf(f"/questions/{question.id}")
    # Rendering the page wrote nothing: only the view beacon does (after T_dwell visible).
    assert db.session.scalar(select(TagInterest).where(TagInterest.user_id == member.id)) is None
    response = client.client.post("/beacon/view", json={"question_id": question.id, "dwell": 12},
                                  headers={"X-CSRFToken": token, "User-Agent": CHROME})
    assert response.status_code == 204
    learned = db.session.execute(
        select(Tag.name, TagInterest.reads).join(Tag, Tag.id == TagInterest.tag_id).where(TagInterest.user_id == member.id)
    ).all()
    assert sorted(learned) == [("fibra", 1), ("modem", 1)]
    assert topics_shown(client.get("/")) == [("fibra", True), ("modem", True)]


# --- notifications ----------------------------------------------------------------------

def notes_for(user, *titles):
    made = [notify.notify(user, "escalation_resolved", f"/questions/{i + 1}#csat", title=title)
            for i, title in enumerate(titles)]
    db.session.commit()
    return made


def test_notifications_page_lists_mine_newest_first_with_text_and_link(client, make):
    member, other = make.user(), make.user()
    notes_for(member, "SIM bloccata", "Bonifico sparito")
    notes_for(other, "Segreto di un altro")
    client.login_as(member)
    page = client.get("/notifications")
    assert page.status_code == 200
    shown = text(page)
    assert "Support resolved your question “Bonifico sparito”" in shown
    assert shown.index("Bonifico sparito") < shown.index("SIM bloccata")
    assert "Segreto di un altro" not in shown
    links = [a["href"] for tag, a in elements(page).tags if tag == "a" and a.get("href", "").endswith("#csat")]
    assert links == ["/questions/2#csat", "/questions/1#csat"]
    assert page.get_data(as_text=True).count('class="notification unread"') == 2


def test_notifications_are_in_the_members_language(browser, make):
    member = make.user(locale="it")
    [note] = notes_for(member, "SIM bloccata")
    client = browser("en").login_as(member)
    page = client.get("/notifications")
    assert '<html lang="it">' in page.get_data(as_text=True)
    assert notify.render(note, "it") in text(page)


def test_the_nav_shows_the_unread_count(client, make):
    member = make.user()
    notes_for(member, "Uno", "Due", "Tre")
    client.login_as(member)
    nav = re.search(r'<a href="/notifications" class="notifications-link[^"]*">(.*?)</a>',
                    client.get("/").get_data(as_text=True), re.S)
    assert nav and re.search(r'class="unread-count"[^>]*>3<', nav.group(1))
    assert 'href="/notifications"' not in client.logout().get("/").get_data(as_text=True)


def test_opening_the_page_marks_nothing_read_the_button_does(client, make):
    member, other = make.user(), make.user()
    notes_for(member, "Uno", "Due")
    notes_for(other, "Altro")
    client.login_as(member)
    client.get("/notifications")
    assert notify.unread_count(member.id) == 2
    form = next(f for f in elements(client.get("/notifications")).forms
                if f["attrs"].get("action") == "/notifications/read")
    assert form["inputs"]["csrf_token"]
    response = client.post("/notifications/read", csrf_from="/notifications")
    assert location(response) == "/notifications"
    page = client.get("/notifications")
    assert "2 notifications marked as read." in flashes(page)
    assert 'class="notification unread"' not in page.get_data(as_text=True)
    assert notify.unread_count(member.id) == 0
    assert notify.unread_count(other.id) == 1  # only mine
    assert re.search(r'class="unread-count" data-unread-count hidden>0<', client.get("/").get_data(as_text=True))


def test_mark_all_read_needs_csrf_and_a_member(client, make):
    member = make.user()
    notes_for(member, "Uno")
    assert client.client.post("/notifications/read").status_code == 400
    assert client.post("/notifications/read").status_code == 302  # anonymous: to the login page
    assert "/login" in client.post("/notifications/read").headers["Location"]
    client.login_as(member)
    assert client.client.post("/notifications/read").status_code == 400
    assert notify.unread_count(member.id) == 1
    assert db.session.scalar(select(Notification.read_at).where(Notification.user_id == member.id)) is None


def test_notifications_page_needs_a_member(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_empty_notifications_page_explains_itself(client, make):
    client.login_as(make.user())
    page = client.get("/notifications")
    assert "Nothing new" in text(page)
    assert not [f for f in elements(page).forms if f["attrs"].get("action") == "/notifications/read"]


# --- settings explain the channels ------------------------------------------------------

def test_settings_explain_each_channel_and_a_missing_phone(client, make):
    member = make.user(contact_channel="sms")
    client.login_as(member)
    shown = text(client.get("/settings"))
    assert "Without a number we tell you in the app only." in shown
    assert "You chose SMS but we have no mobile number" in shown
    accounts.update_preferences(member.id, phone="+39 333 1234567")
    db.session.commit()
    assert "You chose SMS but we have no mobile number" not in text(client.get("/settings"))
