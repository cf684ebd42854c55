"""Search over solved questions: Whoosh embedded, PostgreSQL full-text when scaled out.

Only this package imports whoosh. The app talks to `search.service`; the backend is
chosen by SEARCH_BACKEND ("whoosh" or "postgres") and kept in app.extensions["search"].
"""

import os


def make_backend(app):
    """Return the backend the settings ask for."""
    if app.config.get("SEARCH_BACKEND", "whoosh") == "postgres":
        from .pg_backend import PostgresBackend

        return PostgresBackend()
    from .whoosh_backend import WhooshBackend

    directory = app.config.get("SEARCH_INDEX_DIR") or os.path.join(app.instance_path, "search-index")
    return WhooshBackend(directory)


def rebuild_after_import():
    """Build the index once after a bulk import (its refreshes were not queued)."""
    from . import service

    service.rebuild()


def init_app(app):
    """Connect search to the app: receivers, outbox handler, pages, API and commands."""
    from support.bulk import on_import_end

    from . import flows, indexing, models  # noqa: F401  (models: the tables are part of the app)
    from .api import bp as api_bp
    from .cli import group
    from .views import bp

    app.config.setdefault("SEARCH_BACKEND", os.environ.get("SEARCH_BACKEND", "whoosh"))
    app.config.setdefault("SEARCH_INDEX_DIR", os.environ.get("SEARCH_INDEX_DIR"))
    app.extensions["search"] = make_backend(app)
    indexing.connect()
    flows.connect()
    on_import_end(rebuild_after_import)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(flows.bp)
    app.cli.add_command(group)
