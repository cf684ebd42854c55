"""The XSS corpus and the checks shared by the sanitizer test (in-process) and the browser
test (tests/browser/test_xss.py): what the sanitized HTML may contain, said once here.

The allowlist below is the contract; `tests/support/test_sanitizer_corpus.py` asserts that
support/text.py's nh3 settings are exactly it, so widening the sanitizer is a deliberate
change of both.
"""

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CORPUS_PATH = Path(__file__).resolve().parent / "xss_payloads.txt"

ALLOWED_TAGS = frozenset({
    "a", "p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img",
})
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "code": frozenset({"class"}),
}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# nh3 adds rel="nofollow noopener ugc" to every link (support/text.py, link_rel).
ADDED_ATTRIBUTES = {"a": frozenset({"rel"})}
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})
# Characters a browser's URL parser drops or ignores inside a scheme (C0 controls and
# space at the ends, tab and newlines anywhere) plus invisible ones a filter might miss.
_INVISIBLE = re.compile("[\x00-\x20\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


@dataclass(frozen=True)
class Payload:
    """One corpus line: its text (newlines restored) and the category it was listed under."""

    category: str
    text: str


def load_corpus() -> list[Payload]:
    """Read tests/xss_payloads.txt (format in its header): the payloads, with their category."""
    payloads, category = [], "uncategorised"
    # split("\n"), not splitlines(): U+2028 and friends are payload characters here.
    for line in CORPUS_PATH.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        if line == "#" or line.startswith("# "):
            if line.startswith("# category: "):
                category = line.removeprefix("# category: ").strip()
            continue
        payloads.append(Payload(category, line.replace("\\n", "\n")))
    return payloads


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads in a URL attribute value (entities already decoded once by
    the HTML parser, as the browser does): C0 controls, spaces, tabs and newlines are dropped
    as the URL parser drops them, and, stricter than a browser, invisible characters too and
    NFKC folding, so `java&#x09;script:` and `ｊavascript:` are both read as "javascript".
    """
    value = _INVISIBLE.sub("", unicodedata.normalize("NFKC", value or "")).lower()
    found = _SCHEME.match(value)
    return found.group(1) if found else None


def url_problem(value: str) -> str | None:
    """Why a URL attribute value is not allowed (None when it is relative or allowlisted)."""
    scheme = url_scheme(value)
    if scheme is not None and scheme not in ALLOWED_SCHEMES:
        return f"scheme {scheme!r} in {value!r}"
    return None


class _Collector(HTMLParser):
    """Every start tag and its attributes (values entity-decoded by html.parser)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def start_tags(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    return parser.tags


def sanitized_html_problems(markup: str) -> list[str]:
    """What in sanitized HTML is outside the allowlist: tags, attributes, URL schemes, on*."""
    problems = []
    for tag, attrs in start_tags(markup):
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ADDED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            elif name not in allowed:
                problems.append(f"attribute {name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and (why := url_problem(value or "")):
                problems.append(f"<{tag} {name}>: {why}")
    return problems


def page_problems(markup: str) -> list[str]:
    """What in a whole page could run a member's script: inline handlers, script-capable
    URLs, frames and plugins, inline or foreign scripts (the app's own are /static/ files)."""
    problems = []
    for tag, attrs in start_tags(markup):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and (why := url_problem(value or "")):
                problems.append(f"<{tag} {name}>: {why}")
        if tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"):
            problems.append(f"tag <{tag}>")
        elif tag == "script" and not (values.get("src") or "").startswith("/static/"):
            problems.append(f"script not from /static/: {values}")
        elif tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            problems.append("meta refresh")
    return problems


def text_of(markup: str) -> str:
    """The text a reader sees, plus attribute values (escaped text shows up in both)."""
    parts = []

    class Texts(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

        def handle_starttag(self, tag, attrs):
            parts.extend(v for _n, v in attrs if v)

    parser = Texts(convert_charrefs=True)
    parser.feed(markup)
    parser.close()
    return "\n".join(parts)


def pack(texts: list[str], limit: int, separator: str = "\n\n") -> list[list[int]]:
    """Group payload indexes so each group joined by `separator` fits in `limit` characters.

    Payloads that open a Markdown fence go last in their group, so an unclosed one cannot
    turn the payloads after it into code. A payload longer than `limit` is left out.
    """
    order = sorted(range(len(texts)), key=lambda i: ("```" in texts[i] or "~~~" in texts[i], i))
    groups, current, size = [], [], 0
    for i in order:
        length = len(texts[i]) + (len(separator) if current else 0)
        if len(texts[i]) > limit:
            continue
        if current and size + length > limit:
            groups.append(current)
            current, size, length = [], 0, len(texts[i])
        current.append(i)
        size += length
    if current:
        groups.append(current)
    return groups


# Run in the page: the problems the browser itself sees in the rendered DOM. Member HTML
# (post bodies, comments, previews) may hold only the allowlist; the whole document may
# hold no inline handler, no frame or plugin, no script but the app's, and no link or
# image whose parsed URL uses another scheme than http(s) or mailto.
DOM_PROBLEMS_JS = """(allow) => {
  const problems = [];
  const tags = new Set(allow.tags), attrs = allow.attributes, schemes = new Set(allow.schemes);
  const member = document.querySelectorAll(allow.memberSelector);
  member.forEach((root) => root.querySelectorAll("*").forEach((el) => {
    const tag = el.localName;
    if (!tags.has(tag)) { problems.push("member HTML has <" + tag + ">"); return; }
    for (const a of el.attributes) {
      if (!(attrs[tag] || []).includes(a.name)) problems.push("member HTML has " + a.name + "= on <" + tag + ">");
    }
  }));
  document.querySelectorAll("*").forEach((el) => {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith("on")) problems.push("handler " + a.name + "= on <" + el.localName + ">");
    }
    if (["iframe", "frame", "object", "embed", "applet", "base", "portal"].includes(el.localName)) {
      problems.push("<" + el.localName + "> in the page");
    }
    if (el.localName === "script" && el.src && new URL(el.src).pathname.indexOf("/static/") !== 0) {
      problems.push("foreign script " + el.src);
    }
    if (el.localName === "script" && !el.src && el.textContent.trim()) problems.push("inline script");
  });
  document.querySelectorAll("a[href], img[src], form[action], area[href]").forEach((el) => {
    const url = el.href || el.src || el.action;
    if (!url) return;
    let scheme;
    try { scheme = new URL(url, document.baseURI).protocol.replace(":", ""); } catch (e) { return; }
    if (!schemes.has(scheme)) problems.push("URL scheme " + scheme + ": on <" + el.localName + ">");
  });
  return problems;
}"""


def dom_allowlist(member_selector: str) -> dict:
    """The argument of DOM_PROBLEMS_JS: this module's allowlist, for the browser."""
    attributes = {tag: sorted(ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ADDED_ATTRIBUTES.get(tag, frozenset()))
                  for tag in ALLOWED_TAGS}
    return {"tags": sorted(ALLOWED_TAGS | {"mark"}), "attributes": attributes,
            "schemes": sorted(ALLOWED_SCHEMES), "memberSelector": member_selector}
