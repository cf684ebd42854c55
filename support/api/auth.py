"""Who is calling the API: a bearer token, or the page's session with a CSRF header."""

import functools

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from ..errors import ServiceError
from ..i18n import pin_locale
from ..services.accounts import user_for_token
from . import bp

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


@bp.before_request
def identify_caller():
    """Set g.api_user from the Authorization header, else from the session cookie; then
    choose the language of the response, which follows the caller's preference."""
    g.api_user = None
    g.api_user = _authenticated_caller()
    pin_locale()


def _authenticated_caller():
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(_("Use “Authorization: Bearer <token>”."))
        user = user_for_token(token.strip())
        if user is None:
            raise Unauthorized(_("This token is not valid or has expired."))
        return user
    if current_user.is_authenticated:
        if request.method in UNSAFE:
            # A cookie-authenticated write must prove it comes from our own pages.
            try:
                validate_csrf(request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token"))
            except (ValidationError, CSRFError):
                return None  # treated as anonymous: writes then answer 401
        return current_user._get_current_object()
    return None


def caller():
    """Return the authenticated caller or None."""
    return g.get("api_user")


def login_required(view):
    """Refuse the call with 401 unless a caller is authenticated."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("api_user") is None:
            raise Unauthorized(_("Authentication required: send a bearer token."))
        return view(*args, **kwargs)

    return wrapper
