"""Reading pages the way a person does: visible text, messages next to fields, forms."""

import html
import re
from contextlib import contextmanager
from html.parser import HTMLParser

from sqlalchemy import event

from support.extensions import db
from tests.factories import PASSWORD


def text(response) -> str:
    """Return the visible text of a page, tags removed and spaces collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def field_error(response, field_id) -> str | None:
    """Return the message shown under a form field, or None."""
    match = re.search(
        rf'<p class="error" id="{re.escape(field_id)}-error"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return html.unescape(match.group(1)).strip() if match else None


def form_errors(response) -> str:
    """Return the messages shown above a form (not tied to one field)."""
    match = re.search(r'<div class="form-errors"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def flashes(response) -> list[str]:
    """Return the flash messages shown at the top of the page."""
    found = re.findall(r'<p class="flash flash-\w+">(.*?)</p>', response.get_data(as_text=True), re.S)
    return [html.unescape(m).strip() for m in found]


def location(response) -> str:
    """Return the path (and query) a redirect points to."""
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    return response.headers["Location"].removeprefix("http://localhost")


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, plus each <form> and its inputs."""

    def __init__(self, body):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.forms: list[dict] = []
        self._script_text: list[str] = []
        self.inline_scripts: list[dict] = []
        self._in_script: dict | None = None
        self.feed(body)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "form":
            self.forms.append({"attrs": attributes, "inputs": {}})
        elif tag in ("input", "textarea", "select", "button") and self.forms and attributes.get("name"):
            self.forms[-1]["inputs"][attributes["name"]] = attributes.get("value")
        elif tag == "script":
            self._in_script = attributes

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            if "src" not in self._in_script:
                self.inline_scripts.append({"attrs": self._in_script, "text": "".join(self._script_text)})
            self._in_script = None
            self._script_text = []


def elements(response) -> Elements:
    return Elements(response.get_data(as_text=True))


def log_in(client, login, password=PASSWORD, next_url=None):
    """Sign in through the real form; return the response."""
    path = "/login" + (f"?next={next_url}" if next_url else "")
    data = {"login": login, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(path, data, csrf_from="/login")


def listed_questions(response) -> list[int]:
    """Return the ids of the questions in a list page, in the order shown."""
    body = response.get_data(as_text=True)
    return [int(i) for i in re.findall(r'<li class="question-summary">.*?href="/questions/(\d+)"', body, re.S)]


def shown_answers(response) -> list[int]:
    """Return the ids of the answers on a question page, in the order shown."""
    body = response.get_data(as_text=True)
    return [int(i) for i in re.findall(r'<article class="post answer[^"]*" id="answer-(\d+)"', body)]


@contextmanager
def counted_queries():
    """Collect the SQL statements run inside the block (pages must not grow N+1 queries)."""
    statements = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
