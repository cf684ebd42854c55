"""Anonymous readers get kept pages, and never one that misses what the thread shows.

The page cache (support/pagecache.py) is off in the other tests; here it is on.
"""

import re

import pytest

from support.extensions import db
from support.models import Question
from support.services import escalations, official, posts

from .helpers import flashes


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAGE_CACHE_MB": 8}


@pytest.fixture
def thread(make):
    question = make.question(title="Il roaming in Svizzera non funziona", body="Sono a Zurigo e non ho rete.")
    answer = make.answer(question, body="Attiva il roaming dalle impostazioni del telefono.")
    return question, answer


def read(browser, path):
    response = browser.get(path)
    assert response.status_code == 200
    return response.headers.get("X-Page-Cache"), response.get_data(as_text=True)


def test_a_second_reader_gets_the_kept_page(browser, thread):
    question, _ = thread
    assert read(browser(), f"/questions/{question.id}")[0] == "miss"
    state, html = read(browser(), f"/questions/{question.id}")
    assert state == "hit"
    assert "Attiva il roaming dalle impostazioni" in html


def change(make, question, answer, what):
    staff = make.staff()
    if what == "answer":
        make.answer(question, body="Prova anche a riavviare il telefono dopo l'attivazione.")
        return "Prova anche a riavviare"
    if what == "comment":
        posts.post_comment(make.user(points=20), "Funziona anche con la eSIM?", answer_id=answer.id)
        return "Funziona anche con la eSIM?"
    if what == "vote":
        make.vote(make.user(), answer)
        return 'class="score" aria-live="polite" title="Score">1<'
    if what == "accept":
        make.accept(question.author, answer)
        return "Solved the problem</span>"
    if what == "edit question":
        posts.edit_question(question.author, question.id, body="Sono a Zurigo da ieri e il telefono non ha rete.")
        return "Sono a Zurigo da ieri"
    if what == "edit answer":
        posts.edit_answer(answer.author, answer.id, "Attiva il roaming dati dalle impostazioni, poi riavvia.")
        return "Attiva il roaming dati"
    if what == "verify":
        official.verify_answer(staff, answer.id)
        return "Verified by support"
    if what == "escalate":
        escalations.escalate(question.author, question.id, "Nessuno mi risponde")
        return "With support"
    raise AssertionError(what)


@pytest.mark.parametrize("what", ["answer", "comment", "vote", "accept", "edit question", "edit answer", "verify",
                                  "escalate"])
def test_every_change_to_the_thread_shows_at_once(browser, make, thread, what):
    question, answer = thread
    path = f"/questions/{question.id}"
    read(browser(), path)
    assert read(browser(), path)[0] == "hit"
    expected = change(make, question, answer, what)
    state, html = read(browser(), path)
    assert state == "miss"
    assert expected in html


def test_a_deleted_thread_is_gone_for_readers_of_the_kept_page(browser, make, thread):
    question, _ = thread
    read(browser(), f"/questions/{question.id}")
    posts.delete_question(make.staff(), question.id)
    assert browser().get(f"/questions/{question.id}").status_code == 404


def test_each_reader_gets_a_csrf_token_of_their_own_that_works(browser, thread, make):
    question, answer = thread
    make.accept(question.author, answer)  # solved: readers see "Did this solve your problem?"
    path = f"/questions/{question.id}"
    first, second = browser(), browser()
    first.get(path)
    response = second.get(path)
    assert response.headers["X-Page-Cache"] == "hit"
    html = response.get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    assert len(tokens) == 1  # every form of the page carries this reader's token
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert tokens == {meta}
    answered = second.client.post(f"{path}/solved-it", data={"solved": "yes", "csrf_token": meta})
    assert answered.status_code == 302
    assert any("Glad it helped!" in message for message in flashes(second.get(path)))


def test_the_prompt_step_of_a_returning_reader_is_their_own(browser, thread, make):
    question, answer = thread
    make.accept(question.author, answer)
    path = f"/questions/{question.id}"
    reader = browser()
    reader.client.post(f"{path}/solved-it", json={"solved": True}, headers={"X-CSRFToken": reader.csrf(path)})
    html = read(reader, path)[1]
    assert "Without this answer, would you have contacted support?" in html
    assert "Did this solve your problem?" in read(browser(), path)[1]  # a new reader still gets the first step


def test_a_flash_message_is_shown_to_its_reader_only(browser, thread):
    question, _ = thread
    path = f"/questions/{question.id}"
    reader = browser()
    with reader.client.session_transaction() as session:
        session["_flashes"] = [("success", "Un messaggio per te soltanto")]
    assert "Un messaggio per te soltanto" in reader.get(path).get_data(as_text=True)
    assert "Un messaggio per te soltanto" not in read(browser(), path)[1]


def test_members_always_get_their_own_page(browser, thread, make):
    question, answer = thread
    member = make.user()
    make.vote(member, answer)
    path = f"/questions/{question.id}"
    read(browser(), path)
    response = browser().login_as(member).get(path)
    assert "X-Page-Cache" not in response.headers
    assert 'class="vote up active"' in response.get_data(as_text=True)  # their own vote, pressed


def test_each_language_has_its_own_page(browser, thread):
    question, _ = thread
    path = f"/questions/{question.id}"
    assert "Skip to content" in read(browser("en"), path)[1]
    assert "Vai al contenuto" in read(browser("it"), path)[1]
    assert "Skip to content" in read(browser("en"), path)[1]


def test_lists_are_kept_for_a_few_seconds_only(app, browser, make, monkeypatch):
    make.question(title="Prima domanda sulla fattura di ottobre")
    assert read(browser(), "/questions")[0] == "miss"
    make.question(title="Seconda domanda sul modem che non si accende")
    state, html = read(browser(), "/questions")
    assert state == "hit" and "Seconda domanda" not in html  # kept: at most PAGE_CACHE_LIST_SECONDS old
    app.config["PAGE_CACHE_LIST_SECONDS"] = 0
    state, html = read(browser(), "/questions")
    assert state == "miss" and "Seconda domanda" in html


def test_the_cache_stays_within_its_memory_budget(app, browser, make):
    app.config["PAGE_CACHE_MB"] = 1  # pages over a quarter of the budget are not kept
    store = app.extensions["page_cache"]
    for n in range(12):
        question = make.question(title=f"Domanda numero {n} sulla SIM")
        for k in range(3):
            make.answer(question, body="Una risposta abbastanza lunga. " * 300 + str(k))
        read(browser(), f"/questions/{question.id}")
    assert 0 < store.size() <= 1024 * 1024


def test_version_goes_up_with_the_change_in_the_same_transaction(thread, make):
    question, answer = thread
    before = db.session.get(Question, question.id).version
    make.vote(make.user(), answer)
    db.session.expire_all()
    assert db.session.get(Question, question.id).version == before + 1
