"""The ideas board pages: customers propose improvements, vote, follow, and always hear back."""

from flask import Blueprint

bp = Blueprint("ideas", __name__)


def init_app(app):
    from . import routes  # noqa: F401  (attaches its routes to bp)

    app.register_blueprint(bp)
