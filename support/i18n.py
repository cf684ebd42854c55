"""Interface language: the member's preference, else a chosen cookie, else Accept-Language."""

import os

from flask import current_app, g, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale
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

    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
