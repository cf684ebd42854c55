"""Passaparola: a crowdsourced customer-support community."""

import os
from pathlib import Path

from flask import Flask

from . import config as config_module
from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio


def create_app(config: dict | None = None) -> Flask:
    """Build the application: load settings, bind extensions, register blueprints.

    Pure wiring: no tables are created, no network is touched and nothing is seeded here.
    """
    root = Path(__file__).resolve().parent.parent
    instance_path = Path((config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or root / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    app.config.update(config_module.load_config(instance_path))
    if config:
        app.config.update(config)

    db.init_app(app)
    with app.app_context():
        from .database import configure_engine

        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(root / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    from .realtime import same_origin

    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=app.config["SOCKETIO_CORS_ALLOWED_ORIGINS"] or same_origin,
        manage_session=False,
        # Clients only send small subscribe messages; nothing bigger is accepted.
        max_http_buffer_size=16 * 1024,
    )

    from . import auth, i18n, ideas, metrics, pagecache, qa, realtime, security, staff, users
    from .api import bp as api_bp
    from .cli import register_commands

    i18n.init_app(app)
    pagecache.init_app(app)
    login_manager.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    app.register_blueprint(qa.bp)
    app.register_blueprint(users.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api_bp)
    realtime.init_app(app)
    staff.init_app(app)
    from . import activity, ideas_receivers

    activity.connect()
    ideas_receivers.connect()
    pagecache.connect()
    metrics.init_app(app)
    ideas.init_app(app)
    register_commands(app)

    import gamification
    import search

    gamification.init_app(app)
    search.init_app(app)
    if app.config["TRUSTED_PROXIES"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outside the Socket.IO middleware, so its same-origin check sees the real host.
        # Not X-Forwarded-Port: it would turn the host into "host:443", and the browser's
        # origin "https://host" would no longer match it.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app
