"""The whole community loop in real browsers, three people at once:

a newcomer signs up and asks (similar solved questions show while the title is typed),
another member answers, the answer reaches the asker live, the asker accepts it and the
answerer sees points and a badge arrive live; the asker then escalates a second question,
staff see it appear live in their queue and resolve it, the asker's bell counts it; last,
the footer switches the interface to English and back.
"""

import re

from .conftest import MEMBER, STAFF
from .helpers import (
    DOCS_SCREENSHOTS,
    PASSWORD,
    SoftChecks,
    axe_violations,
    describe_violations,
    log_in,
    record_toasts,
    screenshot,
    settle_bell,
    toasts_measured,
    toasts_seen,
    unread_count,
    update_docs_screenshots,
    wait_for,
    wait_toast,
)

SEED_TITLE = "Come attivo il roaming dati in Svizzera con la SIM?"
DRAFT_TITLE = "Roaming dati in Svizzera non funziona"
SECOND_TITLE = "Bonifico istantaneo bloccato da due giorni"
ANSWER_TEXT = ("Attiva il roaming dati dalle impostazioni e riavvia il telefono: "
               "in Svizzera serve anche l'opzione Europa+.")
BADGE_NAMES = re.compile(r"Risolutore|Solver|Fulmineo|Quick draw")


def seed_solved_question(api):
    """Another member's solved question about roaming, indexed for search by the outbox."""
    archivist = api.register("archivio.rossi")
    expert = api.register("esperto.verdi")
    question = api.ask(archivist, SEED_TITLE, "In Svizzera il telefono non naviga, anche se il roaming è attivo.",
                       ["roaming"])
    answer = api.answer(expert, question["id"], "Serve l'opzione Europa+: attivala dall'app e riavvia il telefono.")
    api.accept(archivist, answer["id"])
    # The search index is written by the outbox after the commit: wait until it is there.
    api.wait_similar(DRAFT_TITLE, SEED_TITLE)
    return expert


def test_ask_answer_accept_escalate_live(live_server, new_context, watcher):
    from playwright.sync_api import expect

    api = live_server.api
    # The live pieces of the DOM contract are checked softly: every one that is missing is
    # listed when the test ends, and the flow goes on to check the others.
    soft = SoftChecks()
    expert = seed_solved_question(api)
    marta = api.token(MEMBER)

    # 1. A newcomer signs up through the register page (Italian browser).
    asker = new_context().new_page()
    asker.goto("/register")
    expect(asker.locator("html")).to_have_attribute("lang", "it")
    asker.locator("#username").fill("lucia.ferrari")
    asker.locator("#email").fill("lucia.ferrari@example.com")
    asker.locator("#password").fill(PASSWORD)
    asker.locator("#confirm").fill(PASSWORD)
    expect(asker.locator("#locale")).to_have_value("it")
    # Terms or privacy consent, should the form ask for it.
    for box in asker.locator("main form input[type=checkbox]").all():
        if re.search(r"term|privacy|consent|accept", box.get_attribute("name") or "", re.I):
            box.check()
    asker.get_by_role("button", name="Crea il mio account").click()
    expect(asker.locator("header a.me")).to_contain_text("lucia.ferrari")

    # 2. The ask page: similar solved questions show while the title is being typed.
    asker.locator("header").get_by_role("link", name="Fai una domanda").click()
    expect(asker).to_have_url(re.compile(r"/questions/ask$"))
    asker.locator("#title").press_sequentially(DRAFT_TITLE, delay=15)
    similar = asker.locator("#similar-questions")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    asker.locator("#body").fill("Sono a Lugano da ieri e il telefono non naviga: ho già riavviato due volte.")
    asker.locator("#tags").fill("roaming svizzera")
    screenshot(asker, "flow-ask-similar")
    mark = watcher[asker].mark()
    asker.get_by_role("button", name="Pubblica la tua domanda").click()
    expect(asker).to_have_url(re.compile(r"/questions/\d+$"))
    question_id = int(re.search(r"/questions/(\d+)$", asker.url).group(1))
    watcher[asker].wait_subscribed(question_id, mark)
    asker.evaluate("window.__sameDocument = true")  # gone if the page reloads
    with soft("the asker's question page has the #toasts container"):
        record_toasts(asker)

    # 3. Another member opens the question and answers it.
    answerer = new_context().new_page()
    log_in(answerer, live_server.url, MEMBER)
    answerer.goto(f"/questions/{question_id}")
    answerer.locator("#body").fill(ANSWER_TEXT)
    mark = watcher[answerer].mark()
    answerer.get_by_role("button", name="Pubblica la tua risposta").click()
    expect(answerer).to_have_url(re.compile(rf"/questions/{question_id}#answer-\d+$"))
    answer_id = int(answerer.url.rsplit("#answer-", 1)[1])
    watcher[answerer].wait_connected(mark)
    watcher[answerer].wait_subscribed(question_id, mark)
    with soft("the answerer's question page has the #toasts container"):
        record_toasts(answerer)

    # 4. The asker, still on the question page, sees the answer arrive without a reload.
    live_answer = asker.locator(f"#answer-list > article.answer#answer-{answer_id}")
    expect(live_answer).to_be_visible()
    expect(live_answer).to_have_attribute("data-answer-id", str(answer_id))
    expect(live_answer).to_contain_text("Europa+")
    assert asker.evaluate("window.__sameDocument === true"), "the asker's page reloaded instead of updating live"
    with soft("the answer count's noun agrees after a live answer (1 risposta, not 1 risposte)"):
        expect(asker.locator("#answers-title")).to_have_text(re.compile(r"^\s*1\s+risposta\s*$"))
    with soft("the asker gets a toast for the new answer, in Italian"):
        toast = wait_toast(asker, "answer", re.escape(MEMBER))
        assert "New answer" not in toast["text"], f"English text on an Italian page: {toast['text']!r}"

    # Votes update live too: a third member upvotes the new answer, once the live answer has
    # its full markup from the server (the vote box of the page's own template).
    score = live_answer.locator(f'.votes[data-kind="answer"][data-id="{answer_id}"] .score')
    expect(score).to_have_text("0")
    api.call("POST", f"/api/v1/answers/{answer_id}/votes", {"value": 1}, expert.token)
    expect(score).to_have_text("1")

    # Staff watch the leaderboard meanwhile; the answerer's row moves live on acceptance.
    staff = new_context().new_page()
    log_in(staff, live_server.url, STAFF)
    mark = watcher[staff].mark()
    staff.goto("/leaderboard")
    with soft("leaderboard page connects to Socket.IO"):
        watcher[staff].wait_connected(mark)
    board_row = staff.locator(f'#leaderboard tbody tr[data-user-id="{marta.id}"]')
    board_before = board_row.inner_text() if board_row.count() else None

    # 5. The asker accepts the live-inserted answer.
    with soft("answerer: the bell shows the server's unread count"):
        settle_bell(answerer, api, marta)
    bell_before = unread_count(answerer)
    accept = live_answer.locator("button.accept")
    with soft("the live-inserted answer carries the asker's accept button (button.accept)"):
        expect(accept).to_be_visible()
    if not accept.count():
        asker.reload()  # so that the rest of the flow can still be checked
        accept = asker.locator(f"#answer-{answer_id} button.accept")
    expect(accept).to_be_visible()
    if update_docs_screenshots():
        # The curated screenshot of the README: a question page in Italian, the answer
        # that has just arrived live (with its vote) under the question.
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        asker.evaluate("window.scrollTo(0, 0)")
        asker.screenshot(path=str(DOCS_SCREENSHOTS / "question-live.png"))
    accept.click()
    accepted = asker.locator(f"#answer-{answer_id}")
    expect(accepted.locator(".accepted-mark")).to_be_visible()
    expect(accepted).to_have_class(re.compile(r"\baccepted\b"))
    screenshot(asker, "flow-question-accepted")

    # 6. The answerer sees it live: the accepted mark, a points toast, a badge toast, the bell.
    expect(answerer.locator(f"#answer-{answer_id} .accepted-mark")).to_be_visible()
    toasts = answerer.locator("#toasts")
    with soft("#toasts is a polite live region (role=status, aria-live=polite)"):
        expect(toasts).to_have_attribute("role", "status")
        expect(toasts).to_have_attribute("aria-live", "polite")
    with soft("answerer: a live .toast.toast-points with +15"):
        points = wait_toast(answerer, "points", r"\+15\b")
        assert "points" not in points["text"], f"English text on an Italian page: {points['text']!r}"
    with soft("answerer: a live .toast.toast-badge naming the badge (Risolutore)"):
        badge = wait_toast(answerer, "badge", BADGE_NAMES.pattern)
        assert "New badge" not in badge["text"], f"English text on an Italian page: {badge['text']!r}"
    with soft("axe: no serious or critical violation on a page showing live toasts"):
        bad, _every = axe_violations(answerer)
        assert not bad, describe_violations(bad)
    with soft("toasts shown together do not overlap each other"):
        crowded = [t for t in toasts_measured(answerer) if t["together"] >= 2]
        assert crowded, f"expected several toasts at once: {toasts_seen(answerer)}"
        overlapping = [t for t in crowded if t["overlap"] > 4]
        assert not overlapping, (
            f"toasts overlap (up to {max(t['overlap'] for t in overlapping):.0f} px²) when "
            f"{max(t['together'] for t in overlapping)} are shown: {[t['text'] for t in overlapping]}")
    with soft("answerer: the bell's span[data-unread-count] goes up live on acceptance"):
        wait_for(answerer, lambda: unread_count(answerer) > bell_before,
                 f"the answerer's bell stayed at {bell_before} after the acceptance")
    screenshot(answerer, "flow-toasts")
    with soft(f"leaderboard: #leaderboard tbody tr[data-user-id={marta.id}] updated live"):
        if board_before is None:
            expect(board_row).to_be_visible()
        else:
            expect(board_row).not_to_have_text(board_before)
    screenshot(staff, "flow-leaderboard-live")

    # 7-8. Staff keep the queue open; the asker escalates a second, unsolved question.
    mark = watcher[staff].mark()
    staff.goto("/staff/escalations")
    with soft("staff queue page connects to Socket.IO"):
        watcher[staff].wait_connected(mark)
    asker.locator("header").get_by_role("link", name="Fai una domanda").click()
    asker.locator("#title").fill(SECOND_TITLE)
    asker.locator("#body").fill("Ho fatto un bonifico istantaneo lunedì e risulta ancora in lavorazione.")
    asker.locator("#tags").fill("bonifico")
    asker.get_by_role("button", name="Pubblica la tua domanda").click()
    expect(asker).to_have_url(re.compile(r"/questions/\d+$"))
    asker.get_by_text("Ho ancora bisogno di aiuto").click()
    asker.locator("#escalate-reason").fill("Nessuno ha risposto e mi serve il denaro entro venerdì.")
    mark = watcher[asker].mark()
    asker.get_by_role("button", name="Chiedi al nostro team di assistenza").click()
    expect(asker.locator(".flash-success")).to_be_visible()
    watcher[asker].wait_connected(mark)
    lucia = api.token("lucia.ferrari")
    with soft("asker: the bell shows the server's unread count"):
        settle_bell(asker, api, lucia)
    asker_bell = unread_count(asker)

    row = staff.locator("table.queue tr[data-escalation-id]").filter(has_text=SECOND_TITLE)
    with soft("staff queue: the new escalation row (table.queue tr[data-escalation-id]) appears live"):
        expect(row).to_be_visible()
    if not row.count():
        staff.reload()  # so that the rest of the flow can still be checked
    expect(row).to_be_visible()
    screenshot(staff, "flow-staff-queue-live")
    row.get_by_role("link", name=SECOND_TITLE).click()
    expect(staff).to_have_url(re.compile(r"/staff/escalations/\d+$"))
    screenshot(staff, "flow-escalation")
    staff.locator("#resolve-note").fill("Bonifico sbloccato dal back office.")
    staff.get_by_role("button", name="Segna come risolta").click()
    expect(staff.locator("#esc-resolution")).to_be_visible()

    # The asker's bell counts the resolution live, and the notification is listed.
    with soft("asker: the bell's span[data-unread-count] goes up live when staff resolve"):
        wait_for(asker, lambda: unread_count(asker) > asker_bell,
                 f"the asker's bell stayed at {asker_bell} after staff resolved the escalation")
    asker.locator("header a.notifications-link").click()
    expect(asker.locator(".notification-list .notification").filter(has_text=SECOND_TITLE).first).to_be_visible()
    screenshot(asker, "flow-notifications")

    # 9. The footer switches the interface to English and back to Italian.
    nav = asker.locator("header nav.main-nav")
    expect(nav.get_by_role("link", name="Domande", exact=True)).to_be_visible()
    asker.locator("footer form.lang-switch button[value=en]").click()
    expect(asker.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Questions", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Ask a question")).to_be_visible()
    asker.locator("footer form.lang-switch button[value=it]").click()
    expect(asker.locator("html")).to_have_attribute("lang", "it")
    expect(nav.get_by_role("link", name="Domande", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Fai una domanda")).to_be_visible()

    soft.assert_all(extra=watcher.errors())
