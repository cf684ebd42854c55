"""Asking and answering with the keyboard only: Tab, typing, Enter and Space.

Nothing is clicked or filled through a selector; the page is only read to check where the
focus is and that the focused element shows a visible focus indicator.
"""

import re

from .helpers import PASSWORD, SoftChecks, assert_focus_visible, focused, tab_until

TITLE = "Addebito doppio sulla carta dopo un acquisto online"
ANSWER = "Capita con le preautorizzazioni: la seconda riga sparisce da sola entro cinque giorni lavorativi."


def test_ask_and_answer_with_the_keyboard_only(live_server, new_context, watcher):
    from playwright.sync_api import expect

    api = live_server.api
    me = api.register("tastiera.neri")
    other = api.register("giorgio.sala")
    their_question = api.ask(other, "La app della banca non apre dopo l'aggiornamento",
                             "Da stamattina la app si chiude subito dopo il logo, su Android 15.", ["app"])
    focus = SoftChecks()  # focus-visibility findings are listed together at the end
    page = new_context().new_page()
    keys = page.keyboard

    # Log in: the username field has autofocus; Tab to the password; Enter submits.
    page.goto("/login")
    assert focused(page)["id"] == "login", f"the login field has no autofocus: {focused(page)}"
    keys.type(me.username)
    keys.press("Tab")
    assert focused(page)["id"] == "password"
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.locator("header a.me")).to_contain_text(me.username)

    # The first Tab reaches the skip link, which is visible when focused and jumps to <main>.
    info = tab_until(page, lambda f: "skip-link" in f["cls"], "the skip link", max_presses=1)
    assert info["text"] == "Vai al contenuto", info
    expect(page.locator("a.skip-link")).to_be_in_viewport()
    with focus("skip link"):
        assert_focus_visible(info, "skip link")
    keys.press("Enter")
    keys.press("Tab")
    assert page.evaluate("Boolean(document.activeElement.closest('main'))"), (
        f"after the skip link, Tab went to {focused(page)} instead of into <main>")

    def reach(predicate, label):
        """Tab until the element the predicate names has the focus, and see the focus."""
        info = tab_until(page, predicate, label)
        with focus(label):
            assert_focus_visible(info, label)

    # From the top of the page, Tab to "Fai una domanda" and follow it with Enter.
    page.goto("/")
    reach(lambda f: f["tag"] == "A" and f["text"] == "Fai una domanda", "'Fai una domanda' link")
    keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/questions/ask$"))

    # The title has autofocus; Tab through to the details and the tags; Enter on the button.
    expect(page.locator("#title")).to_be_focused()
    with focus("title field"):
        assert_focus_visible(focused(page), "title field")
    keys.type(TITLE)
    reach(lambda f: f["id"] == "body", "details field")
    keys.type("Ho pagato 39,90 euro una volta sola, ma nell'estratto conto compaiono due addebiti uguali.")
    tab_until(page, lambda f: f["id"] == "tags", "the tags field")
    keys.type("carta addebiti")
    reach(lambda f: f["tag"] == "BUTTON" and f["text"] == "Pubblica la tua domanda", "'Pubblica la tua domanda' button")
    keys.press("Enter")
    expect(page).to_have_url(re.compile(r"/questions/\d+$"))
    expect(page.locator("h1")).to_have_text(TITLE)

    # Answer someone else's question: skip link, then Tab to the answer box; Space posts.
    page.goto(f"/questions/{their_question['id']}")
    keys.press("Tab")
    assert "skip-link" in focused(page)["cls"]
    keys.press("Enter")
    reach(lambda f: f["tag"] == "TEXTAREA" and f["id"] == "body", "answer field")
    keys.type(ANSWER)
    reach(lambda f: f["tag"] == "BUTTON" and f["text"] == "Pubblica la tua risposta", "'Pubblica la tua risposta' button")
    keys.press("Space")
    expect(page).to_have_url(re.compile(rf"/questions/{their_question['id']}#answer-\d+$"))
    expect(page.locator("#answer-list > article.answer").filter(has_text="preautorizzazioni")).to_be_visible()

    focus.assert_all(extra=watcher.errors())
