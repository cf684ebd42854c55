"""Accounts: register, get a token, read and change oneself, read a member's profile."""

from flask_babel import gettext as _

from ..auth.routes import _account_limit, _login_limit, _register_limit, account_key  # one definition, pages and API
from ..extensions import db, limiter
from ..models import User
from ..services import accounts
from . import bp
from .auth import Unauthorized, caller, login_required
from .parsing import json_body
from .serializers import user_json


@bp.post("/auth/register")
@limiter.limit(_register_limit)
def register():
    """Create a member account."""
    data = json_body(required={"username": str, "email": str, "password": str}, optional={"locale": str})
    return {"user": user_json(accounts.register_user(**data))}, 201


@bp.post("/auth/token")
@limiter.limit(_login_limit)
@limiter.limit(_account_limit, key_func=account_key, deduct_when=lambda response: response.status_code != 200)
def token():
    """Exchange a username (or email) and password for a bearer token."""
    data = json_body(required={"username": str, "password": str})
    user = accounts.authenticate(data["username"], data["password"])
    if user is None:
        raise Unauthorized(_("Wrong username or password."), code="bad_credentials")
    return {"token": accounts.issue_token(user.id), "user": user_json(user)}


@bp.get("/me")
@login_required
def me():
    """Return the caller's account, with email and preferences."""
    user = caller()
    return {"user": user_json(user, private=True), "preferences": accounts.preferences_of(user)}


@bp.patch("/me/preferences")
@login_required
def preferences():
    """Change the caller's preferences; fields left out stay as they are."""
    data = json_body(optional={"contact_channel": str, "locale": str, "followed_tags": list[str]})
    return {"preferences": accounts.preferences_of(accounts.update_preferences(caller().id, **data))}


@bp.get("/users/<int:user_id>")
def user(user_id):
    """Return a member's public profile."""
    return user_json(db.get_or_404(User, user_id))
