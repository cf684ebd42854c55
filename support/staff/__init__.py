"""Support staff: the escalation queue, private notes, verification, CSAT and the helpdesk webhook."""

from flask import Blueprint

bp = Blueprint("staff", __name__)


def init_app(app):
    from .. import ladder, webhooks
    from ..services import interests
    from . import checks, receivers, routes  # noqa: F401  (routes and checks register themselves)
    from .cli import support_group

    app.register_blueprint(bp)
    receivers.connect()
    webhooks.connect()
    interests.connect()
    ladder.init_app(app)
    app.cli.add_command(support_group)
