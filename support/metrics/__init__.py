"""Deflection and community analytics: the events, the estimate and the dashboard."""

from flask import Blueprint

bp = Blueprint("metrics", __name__)


def init_app(app):
    import importlib

    # Each module attaches its routes to bp (capture: beacons and prompts; views: the
    # dashboard and admin settings; api: /api/v1/metrics/*). Modules not written yet are skipped.
    for name in ("capture", "views", "api"):
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    app.register_blueprint(bp)
