"""Search over solved questions: Whoosh embedded, PostgreSQL full-text when scaled out."""


def init_app(app):
    """Connect search to the app (filled in by the search issue)."""
    app.extensions["search"] = app.config.get("SEARCH_BACKEND", "whoosh")
