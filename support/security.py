"""Security headers, safe redirects, and the error pages and JSON errors."""

from urllib.parse import urljoin, urlsplit

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import IntegerConverter, ValidationError

from .errors import ServiceError
from .extensions import db
from .services.validation import MAX_ID

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs, bounded by the id columns: a larger number is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value):
        # werkzeug converts after picking the rule for the method: a non-match here would be
        # a 405 wherever the same path has a rule for another method (DELETE .../votes, POST).
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


def is_safe_next(target: str | None) -> bool:
    """Return whether a `next=` target stays on this site (a relative path)."""
    if not target or not isinstance(target, str) or "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(urljoin(request.host_url, target))
    return parts.scheme in ("http", "https") and parts.netloc == urlsplit(request.host_url).netloc and target.startswith("/") and not target.startswith("//")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_json(status, code, message, fields=None, headers=None):
    """Return the API's error response."""
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


ERROR_TITLES = {
    400: lambda: _("Something in the request was not right"),
    401: lambda: _("Please log in"),
    403: lambda: _("You cannot do this"),
    404: lambda: _("Page not found"),
    405: lambda: _("That is not possible here"),
    409: lambda: _("That clashes with a change just made"),
    413: lambda: _("That is too large"),
    422: lambda: _("Some values are not valid"),
    429: lambda: _("Too many requests"),
    500: lambda: _("Something went wrong on our side"),
}


def _error_page(status, message, headers=None):
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])()
    try:
        body = render_template("errors/error.html", status=status, title=title, message=message)
    except Exception:  # the error page must never fail in turn (e.g. the database is down)
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return body, status, headers or {}


def database_outage(exc: OperationalError) -> str | None:
    """Name the outage when the database failed for a reason of the machine, not of the code.

    "storage_full": its disk is full (SQLite, PostgreSQL 53100). "database_unavailable": the
    server went away or cannot be reached (a restart, a failover: psycopg raises
    OperationalError only for connection, resource and operator-intervention states), or
    SQLite stayed locked past its busy timeout. None: an OperationalError of the code
    (a missing table ...), which stays a 500.
    """
    message = str(exc.orig)
    if "database or disk is full" in message or getattr(exc.orig, "sqlstate", None) == "53100":
        return "storage_full"
    if exc.connection_invalidated or type(exc.orig).__module__.startswith("psycopg"):
        return "database_unavailable"
    if "database is locked" in message or "disk I/O error" in message:
        return "database_unavailable"
    return None


def _retry_headers(exc):
    retry = getattr(exc, "retry_after", None)
    if retry is None and hasattr(exc, "get_headers"):
        for key, value in exc.get_headers():
            if key.lower() == "retry-after":
                retry = value
    return {"Retry-After": str(retry)} if retry is not None else {}


def init_app(app):
    # Before any blueprint is registered, so that every `<int:...>` rule uses it.
    app.url_map.converters["int"] = IdConverter

    @app.after_request
    def set_security_headers(response):
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.errorhandler(ServiceError)
    def service_error(exc):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else {}
        if wants_json():
            return error_json(exc.status, exc.code, exc.message, exc.fields, headers)
        return _error_page(exc.status, exc.message, headers)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        message = _("Your form expired or came from another site. Please reload the page and try again.")
        if wants_json():
            return error_json(400, "csrf", message)
        return _error_page(400, message)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        status = exc.code or 500
        headers = _retry_headers(exc) if status == 429 else {}
        messages = {
            401: _("Please log in to continue."),
            403: _("You do not have permission to do this."),
            404: _("We could not find what you were looking for."),
            405: _("This address does not accept that kind of request."),
            413: _("The request is too large."),
            429: _("You are going a bit fast. Please wait a moment and try again."),
        }
        message = messages.get(status) or _("The request could not be understood.")
        if wants_json():
            code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                    405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}.get(status, "error")
            return error_json(status, code, message, headers=headers)
        return _error_page(status, message, headers)

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        try:
            db.session.rollback()  # a failed transaction must not break the error page in turn
        except Exception:
            app.logger.exception("rollback after an unexpected error failed")
        message = _("We have been told and will look into it. Please try again in a moment.")
        if wants_json():
            return error_json(500, "server_error", message)
        return _error_page(500, message)

    @app.errorhandler(OperationalError)
    def database_error(exc):
        # A full disk or a database restarting is an outage of the machine, not a bug: the
        # write was rolled back whole, so say "try again later" (503) instead of a server error.
        outage = database_outage(exc)
        if outage is None:
            return unexpected_error(exc)
        app.logger.error("%s: %s %s refused: %s", outage, request.method, request.path, exc.orig)
        try:
            db.session.rollback()
        except Exception:
            app.logger.exception("rollback after a database outage failed")
        message = _("We have been told and will look into it. Please try again in a moment.")
        headers = {"Retry-After": "60" if outage == "storage_full" else "5"}
        if wants_json():
            return error_json(503, outage, message, headers=headers)
        return _error_page(503, message, headers)
