"""Helpers of the browser tests: a JSON API client for seeding, page watchers (console
errors, CSP violations, Socket.IO frames), keyboard navigation, axe, screenshots."""

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "una password lunga 2026"
TIMEOUT_MS = 10_000


# --- Seeding through the JSON API (black box: the same server the browser talks to) ---

@dataclass
class Member:
    id: int
    username: str
    token: str


class Api:
    """A tiny /api/v1 client on urllib (no extra dependency), for arranging data fast."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def call(self, method, path, body=None, token=None, expect=(200, 201)):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
            exc.close()
        assert status in expect, f"{method} {path} answered {status}: {raw[:500]!r}"
        return json.loads(raw) if raw else None

    def token(self, username, password=PASSWORD) -> Member:
        found = self.call("POST", "/api/v1/auth/token", {"username": username, "password": password})
        return Member(found["user"]["id"], username, found["token"])

    def register(self, username, locale="it") -> Member:
        self.call("POST", "/api/v1/auth/register",
                  {"username": username, "email": f"{username}@example.com", "password": PASSWORD, "locale": locale})
        return self.token(username)

    def ask(self, member, title, body, tags):
        return self.call("POST", "/api/v1/questions", {"title": title, "body": body, "tags": tags},
                         member.token)["question"]

    def answer(self, member, question_id, body):
        return self.call("POST", f"/api/v1/questions/{question_id}/answers", {"body": body}, member.token)["answer"]

    def accept(self, member, answer_id):
        return self.call("POST", f"/api/v1/answers/{answer_id}/accept", token=member.token)

    def escalate(self, member, question_id, reason):
        found = self.call("POST", f"/api/v1/questions/{question_id}/escalate", {"reason": reason}, member.token)
        return found.get("escalation", found)

    def wait_similar(self, draft_title, expected_title, timeout=15.0):
        """Poll the similar-questions endpoint until the (outbox-indexed) question shows."""
        deadline = time.monotonic() + timeout
        query = urllib.parse.quote(draft_title)
        while True:
            items = self.call("GET", f"/api/v1/questions/similar?title={query}")["items"]
            if any(item["title"] == expected_title for item in items):
                return items
            assert time.monotonic() < deadline, f"{expected_title!r} never became similar to {draft_title!r}: {items}"
            time.sleep(0.1)


# --- Watching pages: JS errors, CSP violations, Socket.IO frames ----------------------

class PageWatch:
    """What one page did: console errors, uncaught exceptions, Socket.IO frames."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.received: list[str] = []
        self.sent: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", self._pageerror)
        page.on("websocket", self._websocket)

    def _pageerror(self, exc):
        where = " ".join((getattr(exc, "stack", "") or "").splitlines()[1:3]).strip()
        self.errors.append(f"uncaught JS error on {self.page.url}: {exc} {where}".strip())

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(f"console {message.type} on {self.page.url}: {message.text}")

    def _websocket(self, ws):
        ws.on("framereceived", lambda payload: self.received.append(payload if isinstance(payload, str) else ""))
        ws.on("framesent", lambda payload: self.sent.append(payload if isinstance(payload, str) else ""))

    def mark(self) -> tuple[int, int]:
        """Where the frame logs are now: wait_* calls only look at frames after a mark."""
        return len(self.received), len(self.sent)

    def _wait(self, frames, start, test, what, timeout):
        deadline = time.monotonic() + timeout
        while True:
            if any(test(f) for f in frames[start:]):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} on {self.page.url} within {timeout}s; frames: {frames[start:][-10:]}")
            self.page.wait_for_timeout(50)  # lets Playwright deliver the events

    def wait_connected(self, since=(0, 0), timeout=10.0):
        """Wait for the Socket.IO connect acknowledgement ("40{...}"): the rooms are joined."""
        self._wait(self.received, since[0], lambda f: f.startswith("40"), "no Socket.IO connection (websocket)",
                   timeout)

    def wait_subscribed(self, question_id, since=(0, 0), timeout=10.0):
        """Wait until live.js has asked to follow the question's room."""
        needle = f'"question_id":{question_id}'
        self._wait(self.sent, since[1], lambda f: '"subscribe"' in f and needle in f,
                   f"no subscribe to question {question_id}", timeout)


class Watcher:
    """Attach a PageWatch to every page of the contexts it is given; check them at the end."""

    def __init__(self):
        self.watches: dict = {}

    def context(self, context):
        context.on("page", self._attach)
        for page in context.pages:
            self._attach(page)
        return context

    def _attach(self, page):
        if page not in self.watches:
            self.watches[page] = PageWatch(page)

    def __getitem__(self, page) -> PageWatch:
        self._attach(page)
        return self.watches[page]

    def errors(self) -> list[str]:
        return [e for w in self.watches.values() for e in w.errors]

    def assert_clean(self):
        errors = self.errors()
        assert not errors, "JavaScript errors or CSP violations:\n  " + "\n  ".join(errors)


# --- Accounts through the real pages ---------------------------------------------------

def log_in(page, base_url, username, password=PASSWORD):
    from playwright.sync_api import expect

    page.goto(base_url + "/login")
    page.locator("#login").fill(username)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header a.me")).to_contain_text(username)


def unread_count(page) -> int:
    """The bell's number (0 when the badge is hidden or absent)."""
    badge = page.locator("header a.notifications-link span[data-unread-count]")
    if not badge.count() or badge.first.get_attribute("hidden") is not None:
        return 0
    digits = re.sub(r"\D", "", badge.first.inner_text())
    return int(digits or 0)


# --- Keyboard ------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) {
    return {tag: "BODY", id: "", cls: "", text: "", outline: "", shadow: "", visible: false};
  }
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== "none";
  return {tag: el.tagName, id: el.id, cls: el.getAttribute("class") || "", name: el.getAttribute("name"),
          text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
          href: el.getAttribute("href"), outline: s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor,
          shadow: s.boxShadow, visible: Boolean(outline || shadow)};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_until(page, test, what, max_presses=60, key="Tab"):
    """Press Tab until `test(focused element info)` holds; return that info."""
    path = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        info = focused(page)
        if test(info):
            return info
        path.append(f"{info['tag']}#{info['id']}:{info['text'][:20]!r}")
    raise AssertionError(f"Tab never reached {what}; focus went: " + " → ".join(path))


def assert_focus_visible(info, where):
    assert info["visible"], (
        f"{where}: the focused element {info['tag']}#{info['id']} ({info['text']!r}) has no visible focus "
        f"indicator (outline: {info['outline']}, box-shadow: {info['shadow']})"
    )


# --- Screenshots and axe -------------------------------------------------------------

def screenshot(page, name, full_page=True):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def update_docs_screenshots() -> bool:
    return os.environ.get("UPDATE_SCREENSHOTS") == "1"


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page; return (violations of those impacts, all violations)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    every = results.response["violations"]
    return [v for v in every if v.get("impact") in impacts], every


def describe_violations(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"][:8]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    target {', '.join(map(str, node['target']))}: {node.get('html', '')[:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def wait_for(page, condition, what, timeout=10.0):
    """Poll a Python-side condition while Playwright keeps delivering page events."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what() if callable(what) else what} (waited {timeout}s)")
        page.wait_for_timeout(100)


def settle_bell(page, api, member, timeout=10.0) -> int:
    """Wait until the page's bell shows the server's unread count (no event still on its
    way), and return that count."""
    state = {}

    def same():
        state["server"] = api.call("GET", "/api/v1/notifications?limit=1", token=member.token)["unread"]
        state["page"] = unread_count(page)
        return state["server"] == state["page"]

    wait_for(page, same, lambda: f"the bell shows {state.get('page')} but the server counts "
                                 f"{state.get('server')} unread notifications", timeout=timeout)
    return state["page"]


class SoftChecks:
    """Checks that go on after a failure, so a long flow reports every broken step at once.

    Use for independent expectations (a toast, a live row); the test ends with
    `assert_all()`, which fails listing each one that did not hold.
    """

    def __init__(self):
        self.failures: list[str] = []

    def __call__(self, what):
        return _SoftCheck(self, what)

    def assert_all(self, extra=()):
        problems = self.failures + list(extra)
        assert not problems, f"{len(problems)} check(s) failed:\n" + "\n".join(f"- {p}" for p in problems)


class _SoftCheck:
    def __init__(self, owner, what):
        self.owner, self.what = owner, what

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, _tb):
        if kind is not None and (issubclass(kind, AssertionError) or kind.__name__ == "TimeoutError"):
            lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()][:3]
            self.owner.failures.append(f"{self.what}: {' | '.join(lines)[:500] or kind.__name__}")
            return True
        return False


# Toasts fade after a few seconds: record each one as it is added (text, class, whether it
# was laid out) and, once an entry animation would be over, how many toasts are on screen
# and how much any two of them overlap; so checks never race the fade-out.
TOAST_LOG_JS = """() => {
  if (window.__toastLog) return true;
  const box = document.getElementById("toasts");
  if (!box) return false;
  window.__toastLog = [];
  function measure(entry) {
    const shown = Array.from(box.querySelectorAll(".toast")).filter((t) => !t.classList.contains("leaving"));
    const rects = shown.map((t) => t.getBoundingClientRect());
    let overlap = 0;
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      overlap = Math.max(overlap, Math.max(w, 0) * Math.max(h, 0));
    }
    entry.together = shown.length;
    entry.overlap = overlap;
  }
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const rect = node.getBoundingClientRect();
      const entry = {cls: node.className, text: node.textContent.trim(), tag: node.tagName,
                     shown: rect.width > 0 && rect.height > 0, together: null, overlap: null};
      window.__toastLog.push(entry);
      setTimeout(() => measure(entry), 800);
    }
  }).observe(box, {childList: true});
  return true;
}"""


def record_toasts(page):
    """Start recording the toasts of this document; fails when there is no #toasts."""
    assert page.evaluate(TOAST_LOG_JS), f"no #toasts container on {page.url}"


def toasts_seen(page) -> list[dict]:
    return page.evaluate("window.__toastLog || []")


def toasts_measured(page) -> list[dict]:
    """The toasts seen, once each has been measured on screen (see TOAST_LOG_JS)."""
    wait_for(page, lambda: all(t["together"] is not None for t in toasts_seen(page)), "toasts never measured")
    return toasts_seen(page)


def wait_toast(page, kind, pattern, timeout=10.0) -> dict:
    """Wait until a toast of class toast-<kind> whose text matches `pattern` was shown."""
    found = []

    def seen():
        found[:] = [t for t in toasts_seen(page)
                    if f"toast-{kind}" in t["cls"].split() and re.search(pattern, t["text"]) and t["shown"]]
        return bool(found)

    wait_for(page, seen, f"no .toast.toast-{kind} matching {pattern!r}; toasts seen: {toasts_seen(page)}",
             timeout=timeout)
    return found[0]
