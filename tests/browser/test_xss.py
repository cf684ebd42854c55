"""Stored and reflected XSS in Chromium: the corpus of tests/xss_payloads.txt written into
every field a member controls, then every page showing them rendered in a real browser.

Fields: title, body, answer, comment, tag (refused, echoed by the ask form), username
(refused by the API), display name, bio, escalation reason, staff note, search query
(echoed), notification text (answers name their author and the question) and a live
event (an answer and a comment arriving over Socket.IO in an open page). Pages: the
thread (view), its edit page and the live Markdown preview there, the ask form's echo,
the staff queue and escalation pages, the notifications page, profiles and search.

Payloads are packed many to an object (a body holds a few dozen) and every page is
rendered twice: once as deployed, and once in a context with the CSP bypassed, so the
test proves the sanitizer and the templates, not only the CSP. Each page counts dialogs
(dismissed), the window.__xss / top.__xss markers and non-image requests to /xss-hit
(images of relative URLs are allowed content), and the DOM is checked against the
allowlist of tests/xss.py by the browser itself.
"""

import os
import re
import subprocess
import sys
from urllib.parse import urlencode

import pytest

from .. import xss
from ..figures import record, scale
from .conftest import FOREIGN_SETTINGS, MEMBER, SECRET_KEY, STAFF
from .helpers import PASSWORD, ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                       reason="the browser live server always runs on SQLite: the PostgreSQL run skips it to keep "
                              "CI time (tests/support/test_sanitizer_corpus.py runs the corpus on both)"),
]

CORPUS = xss.load_corpus()
TEXTS = [p.text for p in CORPUS]
ATTACKERS = 2
BODY_LIMIT = 15_000  # two threads hold the corpus (a post may be 30,000 characters)
COMMENT_LIMIT = 600 - len(f"@{MEMBER} ")  # a comment holds 600 characters
LISTED_TITLES = scale(8, 90)  # more questions, only their titles hostile: one list page shows them all
MEMBER_HTML = ".post-body, .comment-body, .preview, .snippet, .bio"
MARKERS_JS = "() => window.__xss !== undefined || (window.top !== null && window.top.__xss !== undefined)"


def _flat(text):
    return " ".join(text.split())


def _groups(limit, separator="\n\n", count=None):
    """Texts of at most `limit` characters made of corpus payloads, with how many each holds."""
    groups = xss.pack(TEXTS, limit, separator)
    if count is not None and len(groups) > count:
        groups = [groups[i * len(groups) // count] for i in range(count)]
    return [(separator.join(TEXTS[i] for i in group), len(group)) for group in groups]


class Tally:
    """What each (mode, page) saw: payloads tried there, dialogs, executions, allowlist problems."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.rows: dict[tuple[str, str], dict] = {}
        self.dialogs = 0
        self.hits = 0
        self.counted = (0, 0)  # dialogs and hits already added to a row
        self.problems: list[str] = []

    def watch(self, context):
        """Count (and dismiss) every dialog of every page, and requests to /xss-hit."""
        def on_dialog(dialog):
            self.dialogs += 1
            where = dialog.page.url if dialog.page else "?"
            self.problems.append(f"dialog {dialog.type}({dialog.message!r}) on {where}")
            dialog.dismiss()

        def on_hit(route):
            if route.request.resource_type != "image":
                self.hits += 1
                self.problems.append(f"{route.request.resource_type} request to {route.request.url}")
            route.fulfill(status=204, body="")

        def offline(route):
            # Allowed images of other sites (https:) would wait on DNS: fail them at once,
            # so their onerror (were one kept) fires too.
            route.abort()

        context.on("dialog", on_dialog)
        context.route(re.compile(r"/xss-hit"), on_hit)
        context.route(lambda url: not url.startswith(self.base_url), offline)
        return context

    def check(self, page, mode, kind, fields, shows=()):
        """After a page is shown: markers, DOM allowlist, and the texts of `shows` on screen
        as text (stored and escaped, not parsed); add its figures to (mode, kind)."""
        page.wait_for_timeout(50)  # lets onload/onerror handlers and autofocus fire
        markers = int(page.evaluate(MARKERS_JS))
        found = page.evaluate(xss.DOM_PROBLEMS_JS, xss.dom_allowlist(MEMBER_HTML))
        self.problems += [f"{mode} {kind} {page.url}: {p}" for p in found]
        if markers:
            self.problems.append(f"{mode} {kind} {page.url}: window.__xss/top.__xss set")
        if shows:
            seen = _flat(page.evaluate("() => document.body.innerText"))
            self.problems += [f"{mode} {kind} {page.url}: not shown as text: {text!r}"
                              for text in shows if _flat(text) not in seen]
        row = self.rows.setdefault((mode, kind), {"tried": 0, "fields": set(), "pages": 0, "dialogs": 0,
                                                  "executions": 0, "disallowed": 0})
        row["tried"] += sum(fields.values())
        row["fields"] |= set(fields)
        row["pages"] += 1
        # Dialogs and requests fire while the page loads: count those since the last check.
        row["dialogs"] += self.dialogs - self.counted[0]
        row["executions"] += markers + self.hits - self.counted[1]
        row["disallowed"] += len(found)
        self.counted = (self.dialogs, self.hits)


def _csrf(context, path):
    html = context.request.get(path).text()
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)


def _sign_in(context, username):
    """Log in through the login form (a POST, no page rendering): the context's cookies."""
    response = context.request.post("/login", form={"csrf_token": _csrf(context, "/login"), "login": username,
                                                    "password": PASSWORD})
    assert response.ok and "/login" not in response.url, f"{username} could not log in ({response.status})"
    return context


def _set_profile(context, display_name, bio):
    """Save a display name and bio through the settings form."""
    response = context.request.post("/settings", form={
        "csrf_token": _csrf(context, "/settings"), "display_name": display_name, "bio": bio, "locale": "it",
        "contact_channel": "in_app", "phone": "", "followed_tags": "",
    })
    assert response.ok and 'aria-invalid="true"' not in response.text(), f"settings refused ({response.status})"


def _start_doctor(live_server) -> subprocess.Popen:
    """Start `flask doctor` on the live server's database (its instance, SQLite)."""
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    env.update({"INSTANCE_PATH": str(live_server.instance), "SECRET_KEY": SECRET_KEY,
                "DATABASE_URL": f"sqlite:///{live_server.instance / 'passaparola.db'}",
                "SEARCH_INDEX_DIR": str(live_server.instance / "search-index")})
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "run", "doctor"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _seed(api, new_context):
    """Put the corpus into every field through the API and the forms; return what went where."""
    victim, staff = api.token(MEMBER), api.token(STAFF)
    refused = 0
    for n, text in enumerate(TEXTS[: scale(40, len(TEXTS))]):
        api.call("POST", "/api/v1/auth/register", {"username": text, "email": f"xss{n}@example.com",
                                                   "password": PASSWORD}, expect=(422,))
        refused += 1
    names, bios = _groups(64, " ", ATTACKERS), _groups(1000, "\n", ATTACKERS)
    attackers = []
    for n in range(ATTACKERS):
        member = api.register(f"xss.attacker{n}")
        _set_profile(_sign_in(new_context(), member.username), names[n][0], bios[n][0])
        attackers.append(member)
    bodies = _groups(BODY_LIMIT)
    titles = _groups(185, " ", len(bodies) + LISTED_TITLES)
    reasons = _groups(2000, "\n", len(bodies))
    threads = []
    for n, (body, count) in enumerate(bodies):
        question = api.ask(victim, f"XSS {n}: {titles[n][0]}", body, ["sim"])
        answer_body, answer_count = bodies[(n + 1) % len(bodies)]
        attacker = attackers[n % ATTACKERS]
        answer = api.answer(attacker, question["id"], answer_body)
        escalation = api.escalate(victim, question["id"], reasons[n][0])
        threads.append({"question": question, "answer": answer, "escalation": escalation, "attacker": attacker,
                        "title": titles[n][1], "body": count, "answer_body": answer_count,
                        "reason": reasons[n][1], "notes": 0, "comments": 0})
    for n, (title, _count) in enumerate(titles[len(bodies):]):
        api.ask(victim, f"XSS {len(bodies) + n}: {title}", "Solo il titolo di questa domanda è ostile.", ["sim"])
    for n, (note, count) in enumerate(_groups(5000)):
        thread = threads[n % len(threads)]
        api.call("PATCH", f"/api/v1/escalations/{thread['escalation']['id']}", {"note": note}, staff.token)
        thread["notes"] += count
    # New members may comment only on their own posts: each attacker comments its answers,
    # mentioning the asker (a "mentioned" notification names the attacker and the thread).
    for n, (comment, count) in enumerate(_groups(COMMENT_LIMIT)):
        thread = threads[n % len(threads)]
        api.call("POST", f"/api/v1/answers/{thread['answer']['id']}/comments", {"body": f"@{MEMBER} {comment}"},
                 thread["attacker"].token)
        thread["comments"] += count
    return {"attackers": attackers, "threads": threads, "refused": refused, "names": names, "bios": bios,
            "titles": titles}


def _show(page, tally, mode, kind, path, fields, wait_preview=False, shows=()):
    page.goto(path)
    if wait_preview:
        page.wait_for_function("() => { const p = document.querySelector('.preview');"
                               " return p && p.childElementCount > 0; }")
    tally.check(page, mode, kind, fields, shows)


def _visit_everything(tally, mode, victim_page, staff_page, seeded):
    """Every page showing a field a member wrote, as the asker and as staff."""
    titles = sum(count for _t, count in seeded["titles"])
    for t in seeded["threads"]:
        qid, aid = t["question"]["id"], t["answer"]["id"]
        _show(victim_page, tally, mode, "view", f"/questions/{qid}",
              {"title": t["title"], "body": t["body"], "answer": t["answer_body"], "comment": t["comments"],
               "display_name": 1}, shows=[t["question"]["title"]])
        _show(victim_page, tally, mode, "edit+preview", f"/questions/{qid}/edit",
              {"title": t["title"], "body": t["body"]}, wait_preview=True)
        _show(staff_page, tally, mode, "staff", f"/staff/escalations/{t['escalation']['id']}",
              {"title": t["title"], "body": t["body"], "reason": t["reason"], "staff_note": t["notes"]},
              shows=[t["question"]["title"], t["escalation"]["reason"]])
        _show(staff_page, tally, mode, "edit+preview", f"/answers/{aid}/edit", {"answer": t["answer_body"]},
              wait_preview=True)
    _show(staff_page, tally, mode, "staff", "/staff/escalations", {"title": sum(t["title"] for t in seeded["threads"])})
    _show(victim_page, tally, mode, "list", "/questions?sort=newest&per_page=100", {"title": titles})
    _show(victim_page, tally, mode, "notifications", "/notifications",
          {"notification": sum(t["title"] for t in seeded["threads"]) + sum(n for _t, n in seeded["names"])},
          shows=[name for name, _n in seeded["names"]])
    for member, (name, names), (bio, bios) in zip(seeded["attackers"], seeded["names"], seeded["bios"],
                                                 strict=True):
        _show(victim_page, tally, mode, "profile", f"/users/{member.id}", {"display_name": names, "bio": bios},
              shows=[name, bio])
    for query, count in _groups(200, " ", scale(2, 10_000)):
        _show(victim_page, tally, mode, "search (query echo)", "/search?" + urlencode({"q": query}), {"query": count})
    title, count = seeded["titles"][0]
    tags, tag_count = _groups(200, " ", 1)[0]
    victim_page.goto("/questions/ask")
    victim_page.locator("#title").fill(title)
    victim_page.locator("#body").fill("Un corpo abbastanza lungo per la domanda di prova.")
    victim_page.locator("#tags").fill(tags)
    victim_page.locator("main form:has(#tags) button[type=submit]").click()
    victim_page.wait_for_load_state()
    assert victim_page.locator("#tags[aria-invalid=true]").count() == 1, "the ask form took payloads as tags"
    tally.check(victim_page, mode, "ask (tag and title echo)", {"title": count, "tag": tag_count})


def _register_echo(tally, mode, page):
    """A visitor tries a payload as a username on the register page: refused, and echoed
    in the form as text."""
    username, count = _groups(32, " ", 1)[0]
    page.goto("/register")
    page.locator("#username").fill(username)
    page.locator("#email").fill("xss.visitor@example.com")
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("main form:has(#username) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#username[aria-invalid=true]").count() == 1, f"the username {username!r} was taken"
    assert page.locator("#username").input_value() == username
    tally.check(page, mode, "register (username echo)", {"username": count})


def _live_event(tally, mode, victim_context, api, seeded, watcher, n):
    """An answer and a comment arrive over Socket.IO in the open thread, and the
    notification in the open notifications page (another tab)."""
    thread = seeded["threads"][0]
    qid = thread["question"]["id"]
    page, bell = victim_context.new_page(), victim_context.new_page()
    page.goto(f"/questions/{qid}")
    watcher[page].wait_subscribed(qid)
    bell.goto("/notifications")
    watcher[bell].wait_connected()
    bodies = _groups(BODY_LIMIT)
    body, count = bodies[n % len(bodies)]
    attacker = seeded["attackers"][n % ATTACKERS]
    answer = api.answer(attacker, qid, body)
    comment, comment_count = _groups(COMMENT_LIMIT)[n]
    # The answer's comment list comes with its fragment, fetched once the event is shown.
    aid = answer["id"]
    page.locator(f'.comment-list[data-target="answer-{aid}"]').wait_for(state="attached")
    api.call("POST", f"/api/v1/answers/{aid}/comments", {"body": f"@{MEMBER} {comment}"}, attacker.token)
    page.locator(".comment-list .comment.live-new").first.wait_for(state="attached")
    bell.locator(".notification-list li.live-new").first.wait_for()
    name, names = seeded["names"][n % ATTACKERS]
    tally.check(page, mode, "live event", {"answer": count, "comment": comment_count, "display_name": names},
                shows=[name])
    tally.check(bell, mode, "live event", {"notification": thread["title"] + 1})
    page.close()
    bell.close()


def test_no_payload_runs_in_any_field_on_any_page(live_server, new_context, watcher):
    seeded = _seed(live_server.api, new_context)
    tally = Tally(live_server.url)
    doctor = None
    for n, (mode, bypass) in enumerate((("CSP on", False), ("CSP off", True))):
        victim = tally.watch(_sign_in(new_context(bypass_csp=bypass), MEMBER))
        staff = tally.watch(_sign_in(new_context(bypass_csp=bypass), STAFF))
        _live_event(tally, mode, victim, live_server.api, seeded, watcher, n)
        if bypass:
            doctor = _start_doctor(live_server)  # the last write is done: it checks while pages render
        _visit_everything(tally, mode, victim.new_page(), staff.new_page(), seeded)
        _register_echo(tally, mode, tally.watch(new_context(bypass_csp=bypass)).new_page())
    doctor_output, _ = doctor.communicate(timeout=120)
    # As deployed, nothing may even try to run: a CSP violation would be a script, frame or
    # style the sanitizer let through and only the CSP stopped. Images are not: the
    # sanitizer keeps http: images, which img-src (https: only) blocks, harmlessly.
    blocked = [e for e in watcher.errors() if "Content Security Policy" in e and '"img-src ' not in e]
    tally.problems += blocked

    # Rows carry tried (payload x sink placements rendered); the total names its sums
    # apart, so bench/reliability's headline (a sum over every record) counts each once.
    for (mode, kind), row in sorted(tally.rows.items()):
        record("xss", f"browser {mode}: {kind}", tried=row["tried"], sinks=len(row["fields"]),
               fields=sorted(row["fields"]), pages=row["pages"], dialogs=row["dialogs"],
               executions=row["executions"], disallowed=row["disallowed"])
    totals = {f"all_{key}": sum(row[key] for row in tally.rows.values())
              for key in ("tried", "pages", "dialogs", "executions", "disallowed")}
    record("xss", "browser total", corpus=len(TEXTS), payloads=sum(len(g) for g in xss.pack(TEXTS, BODY_LIMIT)),
           sinks=sum(len(row["fields"]) for row in tally.rows.values()), usernames_refused=seeded["refused"],
           csp_violations=len(blocked), doctor_ok=doctor.returncode == 0, **totals)
    assert not tally.problems, f"{len(tally.problems)} problem(s):\n" + "\n".join(tally.problems[:40])
    assert totals["all_tried"] >= 2 * len(TEXTS), totals
    assert doctor.returncode == 0, doctor_output
