"""The view beacon, the user-agent classes and the ask-flow holdout, through HTTP as browsers use them."""

import random
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from search import flows
from search.models import AskFlow
from support.extensions import db
from support.metrics.config import save_deflection_config
from support.metrics.useragent import classify
from support.models import TagInterest
from support.models.metrics import ThreadView
from support.services import posts
from tests.pages.conftest import browser, client, make  # noqa: F401  (the page fixtures)

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/124.0.0.0 Safari/537.36")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0.0.0 Mobile Safari/537.36")
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
    "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "curl/8.4.0",
    "Wget/1.21.4",
    "python-requests/2.31.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
    "Mozilla/5.0 (compatible; SomeNewCrawler/1.0)",
    "Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)",
]


def views() -> list[ThreadView]:
    return db.session.scalars(select(ThreadView).order_by(ThreadView.id)).all()


def view_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ThreadView))


def beacon(client, question_id, dwell=12, ua=CHROME, token=True):
    headers = {"User-Agent": ua}
    if token:
        headers["X-CSRFToken"] = client.csrf(f"/questions/{question_id}") if token is True else token
    return client.client.post("/beacon/view", json={"question_id": question_id, "dwell": dwell}, headers=headers)


@pytest.fixture
def thread(make):
    """A solved thread: asker, answerer, the accepted answer."""
    asker = make.user(username="asker")
    question = make.question(author=asker, tags=("sim", "roaming"))
    answerer = make.user(username="helper")
    answer = make.answer(question, author=answerer)
    make.accept(asker, answer)
    db.session.refresh(question)
    return question, asker, answerer, answer


# --- user agents --------------------------------------------------------------------------

@pytest.mark.parametrize("ua, expected", [(CHROME, "browser"), (FIREFOX, "browser"), (IPHONE, "mobile"),
                                          (ANDROID, "mobile"), ("", "other"), (None, "other"),
                                          ("Werkzeug/3.0", "other"), ("Mozilla/5.0", "other"),
                                          ("x" * 600, "other")])
def test_classify_browsers_and_others(ua, expected):
    assert classify(ua) == expected


@pytest.mark.parametrize("ua", BOTS)
def test_classify_known_crawlers_as_bots(ua):
    assert classify(ua) == "bot"


# --- the beacon ---------------------------------------------------------------------------

def test_a_browser_beacon_records_exactly_one_view_and_learns_tags(client, make, thread):
    question, _asker, _answerer, answer = thread
    reader = make.user()
    client.login_as(reader)
    response = beacon(client, question.id, dwell=14)
    assert response.status_code == 204
    [view] = views()
    assert (view.question_id, view.visitor_key, view.user_id) == (question.id, f"u:{reader.id}", reader.id)
    assert view.accepted_answer_id == answer.id and view.solved
    assert view.viewer_role is None and view.ua_class == "browser" and view.dwell_seconds == 14
    reads = db.session.scalars(select(TagInterest.reads).where(TagInterest.user_id == reader.id)).all()
    assert reads == [1, 1]  # sim and roaming, learned by the same beacon


def test_a_mobile_beacon_is_kept_as_mobile(client, thread):
    assert beacon(client, thread[0].id, ua=IPHONE).status_code == 204
    assert [v.ua_class for v in views()] == ["mobile"]


def test_a_view_before_acceptance_says_so(client, make):
    question = make.question()
    assert beacon(client, question.id).status_code == 204
    [view] = views()
    assert view.accepted_answer_id is None and not view.solved


@pytest.mark.parametrize("ua", BOTS + ["", "Werkzeug/3.0.1"])
def test_bots_and_unknown_clients_are_rejected_at_the_door(client, thread, ua):
    response = beacon(client, thread[0].id, ua=ua)
    assert response.status_code == 204
    assert view_count() == 0 and "pp_visitor" not in response.headers.get("Set-Cookie", "")


def test_no_user_agent_header_is_rejected(client, thread):
    token = client.csrf("/")
    response = client.client.post("/beacon/view", json={"question_id": thread[0].id, "dwell": 30},
                                  headers={"X-CSRFToken": token}, environ_overrides={"HTTP_USER_AGENT": ""})
    assert response.status_code == 204 and view_count() == 0


@pytest.mark.parametrize("dwell", [0, 3, 9, 9.99])
def test_short_visits_are_not_views(client, thread, dwell):
    assert beacon(client, thread[0].id, dwell=dwell).status_code == 204
    assert view_count() == 0


def test_the_dwell_threshold_is_the_admin_setting(client, make, thread):
    save_deflection_config(make.user(role="admin"), {"dwell_seconds": 20})
    html = client.get(f"/questions/{thread[0].id}").get_data(as_text=True)
    assert re.search(r'id="view-beacon"[^>]*data-dwell="20"', html)
    assert beacon(client, thread[0].id, dwell=15).status_code == 204 and view_count() == 0
    assert beacon(client, thread[0].id, dwell=20).status_code == 204 and view_count() == 1


def test_the_beacon_needs_a_csrf_token(client, thread):
    assert beacon(client, thread[0].id, token=False).status_code == 400
    assert beacon(client, thread[0].id, token="forged").status_code == 400
    assert view_count() == 0


@pytest.mark.parametrize("body", [None, "nonsense", [1, 2], {}, {"question_id": 1}, {"dwell": 12},
                                  {"question_id": "1", "dwell": 12}, {"question_id": True, "dwell": 12},
                                  {"question_id": 1, "dwell": "12"}, {"question_id": 1, "dwell": -1},
                                  {"question_id": 1.5, "dwell": 12}, {"question_id": 2**40, "dwell": 12},
                                  {"question_id": 1, "dwell": 1e308 * 10}])
def test_malformed_beacons_are_refused_without_writing(client, thread, body):
    headers = {"User-Agent": CHROME, "X-CSRFToken": client.csrf("/")}
    if isinstance(body, str):
        response = client.client.post("/beacon/view", data=body, headers=headers)
    else:
        response = client.client.post("/beacon/view", json=body, headers=headers)
    assert response.status_code == 400
    assert view_count() == 0


def test_unknown_and_removed_questions_are_not_found(client, make):
    assert beacon(client, 999_999, token=client.csrf("/")).status_code == 404
    question = make.question()
    posts.delete_question(question.author, question.id)
    db.session.commit()
    assert beacon(client, question.id, token=client.csrf("/")).status_code == 404
    assert view_count() == 0


def test_rendering_the_question_page_writes_nothing(client, make, thread):
    question = thread[0]
    member = make.user()
    for who in (None, member, thread[1]):
        client.logout()
        if who:
            client.login_as(who)
        response = client.get(f"/questions/{question.id}", headers={"User-Agent": CHROME})
        assert response.status_code == 200
        assert "pp_visitor" not in response.headers.get("Set-Cookie", "")
    assert view_count() == 0
    assert db.session.scalar(select(func.count()).select_from(TagInterest).where(TagInterest.user_id == member.id)) == 0


def test_the_page_carries_the_beacon_settings_and_no_inline_script(client, thread):
    html = client.get(f"/questions/{thread[0].id}").get_data(as_text=True)
    assert re.search(rf'id="view-beacon"[^>]*data-url="/beacon/view"[^>]*data-question-id="{thread[0].id}"'
                     r'[^>]*data-dwell="10"', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_insiders_are_stored_with_their_role(client, make, thread):
    question, asker, answerer, _answer = thread
    staff = make.staff()
    for who in (asker, answerer, staff):
        client.logout().login_as(who)
        assert beacon(client, question.id).status_code == 204
    assert [(v.visitor_key, v.viewer_role) for v in views()] == [
        (f"u:{asker.id}", "author"), (f"u:{answerer.id}", "answerer"), (f"u:{staff.id}", "staff")]


def test_an_anonymous_visitor_gets_a_cookie_and_keeps_its_key(client, thread):
    first = beacon(client, thread[0].id)
    assert first.status_code == 204
    cookie = re.search(r"pp_visitor=([0-9a-f]{32})", first.headers.get("Set-Cookie", ""))
    assert cookie and "HttpOnly" in first.headers["Set-Cookie"]
    second = beacon(client, thread[0].id, dwell=40)
    assert second.status_code == 204 and "pp_visitor" not in second.headers.get("Set-Cookie", "")
    assert [(v.visitor_key, v.user_id) for v in views()] == [(f"c:{cookie.group(1)}", None)] * 2


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True}

    def test_the_beacon_is_rate_limited_per_visitor(self, client, make, thread):
        client.login_as(make.user())
        token = client.csrf("/")
        statuses = [beacon(client, thread[0].id, token=token).status_code for _ in range(122)]
        assert statuses[:120] == [204] * 120 and statuses[-1] == 429
        assert view_count() == 120
        client.logout().login_as(make.user())  # another visitor is not held back
        assert beacon(client, thread[0].id).status_code == 204


# --- the ask flow's holdout ---------------------------------------------------------------

def test_holdout_is_deterministic_and_close_to_the_share():
    keys = [f"c:{random.Random(n).getrandbits(128):032x}" for n in range(20_000)]
    picked = [flows.in_holdout(k, "2026-11", 0.05, "secret") for k in keys]
    assert picked == [flows.in_holdout(k, "2026-11", 0.05, "secret") for k in keys]
    assert 0.045 < sum(picked) / len(keys) < 0.055
    assert not any(flows.in_holdout(k, "2026-11", 0.0, "secret") for k in keys[:500])
    # A new month (or another secret) draws again; nobody is held out forever.
    december = [flows.in_holdout(k, "2026-12", 0.05, "secret") for k in keys]
    assert picked != december and 0.045 < sum(december) / len(keys) < 0.055
    assert picked != [flows.in_holdout(k, "2026-11", 0.05, "other") for k in keys]


def test_holdout_is_stable_within_a_month(app):
    keys = [f"u:{n}" for n in range(400)]
    first = [flows.is_holdout(k, datetime(2026, 11, 1, 0, 0)) for k in keys]
    assert first == [flows.is_holdout(k, datetime(2026, 11, 30, 23, 59)) for k in keys]


def _members_in_and_out(make, when=None):
    """Return a member in the holdout and one outside it (the share raised to 50%)."""
    found = {}
    while len(found) < 2:
        member = make.user()
        found.setdefault(flows.is_holdout(f"u:{member.id}", when), member)
    return found[True], found[False]


@pytest.fixture
def wide_holdout(make):
    save_deflection_config(make.user(role="admin"), {"holdout_share": 0.5})


def test_holdout_visitors_get_no_suggestions_and_their_flows_say_so(client, make, wide_holdout):
    asker = make.user()
    question = make.question(author=asker, title="Come attivo la nuova SIM?",
                             body="Ho ricevuto la SIM nuova ma non funziona.")
    make.accept(asker, make.answer(question, body="Inserisci il codice PUK e riavvia il telefono."))
    held_out, shown = _members_in_and_out(make)
    url = "/api/v1/questions/similar?title=SIM%20nuova%20non%20si%20attiva"

    client.login_as(shown)
    assert [i["question_id"] for i in client.get(url).get_json()["items"]] == [question.id]
    token = client.csrf("/questions/ask")
    client.client.post("/search/ask-flow", json={"event": "shown", "ids": [question.id]},
                       headers={"X-CSRFToken": token})

    client.logout().login_as(held_out)
    assert client.get(url).get_json()["items"] == []
    token = client.csrf("/questions/ask")
    client.client.post("/search/ask-flow", json={"event": "shown", "ids": []}, headers={"X-CSRFToken": token})

    flagged = dict(db.session.execute(select(AskFlow.user_id, AskFlow.holdout)).all())
    assert flagged == {shown.id: False, held_out.id: True}


def test_without_a_holdout_share_everyone_gets_suggestions(client, make):
    save_deflection_config(make.user(role="admin"), {"holdout_share": 0.0})
    assert not any(flows.is_holdout(f"u:{n}") for n in range(2000))
