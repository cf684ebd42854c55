"""Points, badges, ranks, leaderboards and segments (see GAMIFICATION.md).

Plugs into the host app with init_app(app): event receivers, blueprint and commands.
"""


def init_app(app):
    """Connect gamification to the app (filled in by the gamification issue)."""
    app.extensions["gamification"] = True
