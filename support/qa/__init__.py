"""The Q&A forum pages: list, ask, read, answer, comment, vote, accept, edit."""

from flask import Blueprint

bp = Blueprint("qa", __name__)

from . import routes  # noqa: E402,F401
