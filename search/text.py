"""Text helpers shared by both backends: accent folding, safe query terms, snippets."""

import re
import unicodedata
from functools import lru_cache
from html import unescape

import nh3
from markupsafe import Markup, escape
from whoosh.lang import stopwords_for_language

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MARK_START, MARK_END = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
_IT_ENDINGS = sorted(
    "azioni azione mente ando endo are ere ire ato ata ati ate uto uta uti ute ito ita iti ite a e i o".split(),
    key=len, reverse=True,
)


_STOP_WORDS = {lang: frozenset(stopwords_for_language(lang)) for lang in ("it", "en")}


def content_positions(terms: list[str], lang: str) -> list[int]:
    """Positions of the query terms that are not stop words of `lang` (all, if all are).

    A reader types "come si attiva la SIM": "come", "si" and "la" are in no stemmed index,
    and required as plain words they would make the question miss the thread.
    """
    kept = [i for i, term in enumerate(terms) if term not in _STOP_WORDS[lang]]
    return kept or list(range(len(terms)))


def fold(text: str) -> str:
    """Return lower-case text without accents ("Attività" becomes "attivita")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def query_terms(raw) -> list[str]:
    """Return the words of a user's query: no syntax, no control characters, capped.

    Quotes, operators, wildcards and field names are dropped, so no query can be
    malformed or runaway; only letters and digits reach a backend.
    """
    if not isinstance(raw, str):
        return []
    words = _WORD.findall(raw[:MAX_QUERY_CHARS].replace("_", " "))
    return [w.lower() for w in words if len(w) <= 40][:MAX_TERMS]


@lru_cache(maxsize=100_000)
def light_stem(word: str) -> str:
    """Strip one Italian inflection ("ricaricare" and "ricarica" both become "ricaric").

    Cached: indexing calls it for every word of every document, over a small vocabulary.
    """
    word = fold(word)
    for ending in _IT_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def light_text(text: str) -> str:
    """Return the light Italian stems of every word of a text, space separated."""
    return " ".join(light_stem(w) for w in _WORD.findall(text or ""))


def marked_html(text: str) -> Markup:
    """Escape text whose matches are wrapped in marker characters; wrap them in <mark>."""
    safe = str(escape(text))
    safe = safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if safe.count("<mark>") != safe.count("</mark>"):
        safe = safe.replace("<mark>", "").replace("</mark>", "")
    return Markup(safe)


def plain_snippet(text: str, length: int = 240) -> str:
    """Return the start of a text, cut at a word boundary."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def html_text(html: str) -> str:
    """Return the words of a post's sanitized HTML, without Markdown syntax or tags."""
    spaced = re.sub(r"<(/?(p|li|br|h[1-6]|tr|td|th|pre|blockquote)\b[^>]*)>", r" <\1>", html or "")
    return " ".join(unescape(nh3.clean(spaced, tags=set())).split())


def strip_markers(text: str) -> str:
    """Remove marker characters from stored text, so only highlights produce them."""
    return (text or "").replace(MARK_START, "").replace(MARK_END, "")
