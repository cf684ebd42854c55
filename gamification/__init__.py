"""Points, badges, ranks, leaderboards and segments (see GAMIFICATION.md).

Plugs into the host app with init_app(app): event receivers, pages, API, commands and
the invariant checks of `flask doctor`.
"""


def init_app(app):
    """Connect gamification to the app."""
    from flask_login import current_user

    from support.bulk import on_import_end

    # live registers the outbox handlers of points and badge events: every process that
    # drains the outbox needs them, not only those that happened to write points first.
    from . import catalogue, checks, live, receivers  # noqa: F401  (they register themselves)
    from .api import bp as api_bp
    from .cli import group
    from .profile import badges_of, points_history, rank_info, user_extras
    from .recompute import recompute
    from .segments import segment_of
    from .views import bp

    receivers.connect()
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(group)
    app.extensions.setdefault("user_extras", []).append(user_extras)
    on_import_end(recompute)

    def gamification_profile(user):
        """Return what a profile page shows of a member's rank, badges and points."""
        return {
            "rank": rank_info(user.points),
            "badges": badges_of(user.id),
            "history": points_history(user.id),
            "segment": segment_of(user.id) if current_user.is_authenticated and current_user.is_staff else None,
        }

    app.jinja_env.globals["gamification_profile"] = gamification_profile
    app.extensions["gamification"] = True
