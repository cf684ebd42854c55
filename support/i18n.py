"""Interface language: the member's preference, else a chosen cookie, else Accept-Language."""

import os

from flask import current_app, g, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale, get_timezone, get_translations
from flask_login import current_user

from .extensions import babel

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
LANG_COOKIE = "lang"


def select_locale():
    """Return the language for this request."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    user = getattr(g, "api_user", None) or (current_user if current_user.is_authenticated else None)
    if user is not None and user.locale in languages:
        return user.locale
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


_FORMATTED_MAX = 50_000
_formatted: dict = {}


def _remembered(formatter, value, fmt) -> str:
    """Format a date as Flask-Babel does, remembering the result per language and time zone.

    A thread page shows a few dozen timestamps, and Babel takes tens of microseconds for
    each; the same post's date is asked for again on every view of its thread.
    """
    if not value:
        return ""
    key = (formatter, value, fmt, get_locale(), get_timezone())
    text = _formatted.get(key)
    if text is None:
        if len(_formatted) >= _FORMATTED_MAX:
            _formatted.clear()
        text = _formatted[key] = formatter(value, fmt)
    return text


def _translations():
    """The catalogue of this request's language, looked up once per language per request.

    Flask-Babel looks it up again for every message; a thread page has a few hundred.
    """
    locale = get_locale()
    remembered = g.get("_translations")
    if remembered is None or remembered[0] is not locale:  # force_locale() switches language
        remembered = g._translations = (locale, get_translations())
    return remembered[1]


def pin_locale():
    """Choose this request's language now, before the view changes anything.

    Flask-Babel otherwise chooses at the first translated message: a view that saves a
    new language and then fails (the change rolled back) would answer in the language it
    just refused. Pages pin the language before every view, the API once it knows the
    caller (api/auth.py); a view that does change the language calls refresh() after
    the change is saved, so its flash message is in the language of the next page.
    """
    get_locale()


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(app.root_path, "translations"))
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def _pin_page_locale():
        if request.endpoint != "static" and not request.path.startswith("/api/"):
            pin_locale()

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": _remembered(format_datetime, value, fmt)
    app.jinja_env.filters["date"] = lambda value, fmt="medium": _remembered(format_date, value, fmt)
