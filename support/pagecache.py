"""Rendered public pages for visitors who are not logged in, kept in each web process's memory.

Most of a support community's traffic is people arriving from a search engine to read a
thread. Rendering a thread with thirty answers costs tens of milliseconds of Jinja; the
same HTML served again costs about what one query does. So for anonymous GETs of the
pages below, the first rendering is kept and served again while it is current:

- a question page is current while its thread's `version` is unchanged (every change
  a reader can see — answer, comment, vote, acceptance, edit, verification,
  escalation, deletion — bumps it in the same transaction, see `_bump`) and for at
  most `PAGE_CACHE_SECONDS` (names, badges and "helped about N people" change outside
  the thread);
- lists, leaderboards and profiles are current for `PAGE_CACHE_LIST_SECONDS` (the live
  layer keeps an open leaderboard moving meanwhile).

What differs between two anonymous visitors is left out of the key or put back on the
way out: the CSRF token (one per request, whichever form renders it) is cut out of the
kept page and each response gets the visitor's own; the language and the deflection
prompt step are part of the key; a visitor with a flash message waiting, a logged-in
member and every other method go straight to the view.
Each process (each app) keeps at most `PAGE_CACHE_MB` of pages (least recently used go first), so
memory stays bounded; `PAGE_CACHE_MB = 0` turns the cache off.
"""

import functools
import threading
import time
from collections import OrderedDict

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import update

from . import events
from .extensions import db
from .models import Question

class PageStore:
    """A byte-bounded LRU of rendered pages, shared by a process's threads."""

    def __init__(self):
        self._pages: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key, max_age: float):
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > max_age:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return entry[1]

    def put(self, key, body: tuple[bytes, ...], budget: int) -> None:
        size = sum(map(len, body))
        if size > budget // 4:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (time.monotonic(), body)
            self._bytes += size
            while self._bytes > budget and self._pages:
                self._drop(next(iter(self._pages)))

    def size(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key) -> None:
        _, body = self._pages.pop(key)
        self._bytes -= sum(map(len, body))


def _cacheable() -> bool:
    return (request.method == "GET" and current_app.config.get("PAGE_CACHE_MB", 0) > 0
            and not current_user.is_authenticated and not session.get("_flashes"))


def for_visitors(key=None, seconds: str = "PAGE_CACHE_LIST_SECONDS"):
    """Serve a view's page from the cache to anonymous visitors.

    `key(**view_args)` returns what, besides the URL and the language, decides the page
    (a thread's version, the visitor's prompt step), or None to skip the cache for this
    request. `seconds` names the setting that bounds an entry's age.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(**view_args):
            if not _cacheable():
                return view(**view_args)
            extra = key(**view_args) if key else ()
            if extra is None:
                return view(**view_args)
            config = current_app.config
            cache_key = (request.endpoint, request.full_path, str(get_locale()), extra)
            store = current_app.extensions["page_cache"]
            body = store.get(cache_key, config[seconds])
            state = "hit"
            if body is None:
                state = "miss"
                response = current_app.make_response(view(**view_args))
                if response.status_code != 200 or response.mimetype != "text/html" or "Set-Cookie" in response.headers:
                    return response
                # Every form of the page carries this request's token (Flask-WTF makes one per
                # request); the page is kept as the bytes around it.
                body = tuple(response.get_data().split(generate_csrf().encode()))
                store.put(cache_key, body, config["PAGE_CACHE_MB"] * 1024 * 1024)
            response = current_app.response_class(generate_csrf().encode().join(body), mimetype="text/html")
            response.headers["X-Page-Cache"] = state
            return response

        return wrapper

    return decorate


# --- thread versions ---------------------------------------------------------------------


def _bump(question_id) -> None:
    if question_id is not None:
        db.session.execute(update(Question).where(Question.id == question_id)
                           .values(version=Question.version + 1).execution_options(synchronize_session=False))


def _on_thread_change(_sender, question, **_):
    _bump(question.id)


def _on_vote(_sender, target, target_type, **_):
    _bump(target.id if target_type == "question" else target.question_id)


def _on_escalation(_sender, escalation, **_):
    _bump(escalation.question_id)


def init_app(app):
    app.extensions["page_cache"] = PageStore()


def connect() -> None:
    """Bump a thread's version in the transaction of every change its page shows."""
    for signal in (events.question_edited, events.question_deleted, events.answer_posted, events.answer_edited,
                   events.answer_deleted, events.comment_posted, events.answer_accepted, events.answer_unaccepted,
                   events.answer_verified, events.answer_unverified):
        signal.connect(_on_thread_change, weak=False)
    events.vote_cast.connect(_on_vote, weak=False)
    events.escalation_changed.connect(_on_escalation, weak=False)
