"""Sign-up, sign-in, sign-out, password change and the interface language switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa: E402,F401  (routes attach themselves to bp)
from .routes import init_app  # noqa: E402,F401
