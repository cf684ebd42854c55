"""Deflection and community analytics: the events, the estimate and the dashboard.

capture.py records the events (the view beacon and the prompts), deflection.py is the
pure estimate, report.py loads a period's events and computes it, views.py is the staff
dashboard and the admin settings; the JSON endpoints are in support/api/metrics.py.
"""

from flask import Blueprint

bp = Blueprint("metrics", __name__)


def init_app(app):
    from . import capture, views  # noqa: F401  (they attach their routes to bp)

    app.register_blueprint(bp)
