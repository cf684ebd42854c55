"""The JSON API, version 1 (../shared/design/API.md is the contract)."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Programs authenticate with a bearer token, which a browser never sends on its own;
# requests that rely on the session cookie are checked for CSRF in auth.py instead.
csrf.exempt(bp)

from . import auth, routes  # noqa: E402,F401
