"""Flask extensions, created unbound; create_app() binds them."""

import logging
import threading
import time

import socketio as python_socketio
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic migrations work the same on SQLite (batch mode) and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# The ORM session and engine.
db = SQLAlchemy(model_class=Base)
# Cookie sessions for people using the pages.
login_manager = LoginManager()
# CSRF tokens on every form and on AJAX writes (X-CSRFToken header).
csrf = CSRFProtect()
log = logging.getLogger(__name__)


class LiveQueueUnavailable(RuntimeError):
    """An emit could not be handed to every web process: the outbox retries it later."""


class LiveRedisManager(python_socketio.RedisManager):
    """python-socketio's Redis manager, made safe for the outbox (docs/deployment.md).

    Upstream, an emit that cannot reach Redis is logged and dropped, so the outbox would
    mark a live event done that no client ever saw. Here an emit raises
    LiveQueueUnavailable instead, and the outbox retries it with backoff, when Redis
    cannot be reached (tried twice, without redis-py's ten internal retries, and not at
    all again for a second after a failure, so a worker with a batch of events does not
    wait seconds on each one while Redis is down).

    And when the connection to Redis was made again less than SETTLE_SECONDS ago (Redis
    has just come back, or restarted), the emit first waits out the rest of that time:
    the web processes may not have subscribed again yet, and a message published before
    they do is lost for them. That costs the publisher one pause per reconnection.

    Nobody receiving a message is not an error: a web process subscribes when its first
    client connects, so no subscriber means no client to tell.

    The listener of a web process retries every LISTEN_RETRY_MAX seconds at most (upstream
    doubles up to 60 s), so every web process subscribes again well within SETTLE_SECONDS
    of Redis coming back. Other messages (room changes of remote clients, remote
    disconnects) keep upstream's log-and-drop behaviour: they have no outbox row.
    """

    SETTLE_SECONDS = 2.5
    LISTEN_RETRY_MAX = 1.0
    DOWN_PAUSE_SECONDS = 1.0

    def __init__(self, url, channel="flask-socketio", write_only=False, logger=None, json=None, redis_options=None):
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        options = {"retry": Retry(NoBackoff(), 1), "socket_connect_timeout": 2, "redis_connect_func": self._on_redis_connect}
        options.update(redis_options or {})
        super().__init__(url, channel=channel, write_only=write_only, logger=logger, json=json, redis_options=options)
        self._lock = threading.Lock()
        self._failed = False  # a Redis error was seen since the last connection
        self._reconnected_at = None  # monotonic time of the last reconnection
        self._down_until = 0.0

    def _on_redis_connect(self, connection):
        """Called by redis-py for every new socket: note when it is a reconnection."""
        connection.on_connect()
        with self._lock:
            again = getattr(connection, "_passaparola_connected", False) or self._failed
            connection._passaparola_connected = True
            self._failed = False
            if again:
                self._reconnected_at = time.monotonic()

    def _note_failure(self):
        with self._lock:
            self._failed = True

    def _settling(self) -> float:
        with self._lock:
            if self._reconnected_at is None:
                return 0.0
            return max(0.0, self.SETTLE_SECONDS - (time.monotonic() - self._reconnected_at))

    def _publish(self, data):
        if not (isinstance(data, dict) and data.get("method") == "emit"):
            return super()._publish(data)
        if time.monotonic() < self._down_until:
            raise LiveQueueUnavailable("Redis was unreachable a moment ago; not trying again yet")
        message = self.json.dumps(data)
        for attempt in (1, 2):
            try:
                if not self.connected:
                    self._redis_connect()
                self.redis.ping()  # a stale connection reconnects here, before the settle check
                wait = self._settling()
                if wait:  # once per reconnection: give the web processes time to subscribe again
                    log.warning("Redis is back: waiting %.1f s for the web processes to subscribe again", wait)
                    time.sleep(wait)
                receivers = self.redis.publish(self.channel, message)
            except Exception as exc:  # redis errors, OSError: try once more with a new client
                self.connected = False
                self._note_failure()
                if attempt == 2:
                    self._down_until = time.monotonic() + self.DOWN_PAUSE_SECONDS
                    raise LiveQueueUnavailable(f"cannot publish to Redis: {exc}") from exc
                continue
            return receivers

    def _redis_listen_with_retries(self):  # pragma: no cover - exercised by tests/scaleout
        retry_sleep = 0.1
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = True
                    retry_sleep = 0.1
                yield from self.pubsub.listen()
            except Exception as exc:
                self._get_logger().error("Cannot receive from redis... retrying in %s secs (%s)", retry_sleep, exc)
                self._note_failure()
                subscribed = False
                time.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, self.LISTEN_RETRY_MAX)


class LiveSocketIO(SocketIO):
    """Flask-SocketIO with LiveRedisManager for a redis:// message queue."""

    def init_app(self, app, **kwargs):
        url = kwargs.get("message_queue")
        if "client_manager" not in kwargs:
            if isinstance(url, str) and url.startswith(("redis://", "rediss://")):
                channel = kwargs.pop("channel", None) or self.server_options.pop("channel", "flask-socketio")
                kwargs["client_manager"] = LiveRedisManager(url, channel=channel, write_only=app is None)
            else:
                self.server_options.pop("client_manager", None)  # a manager of an earlier app
        super().init_app(app, **kwargs)


def live_write_only(sio=None) -> None:
    """Make this process's live queue emit-only (the outbox worker: it has no clients).

    No listener thread is started then, and Redis counts only web processes as receivers.
    Call before the first emit.
    """
    sio = sio or socketio
    server = sio.server
    manager = getattr(server, "manager", None)
    if isinstance(manager, python_socketio.PubSubManager) and not server.manager_initialized:
        manager.write_only = True


# Live events; async_mode is set explicitly in create_app (threading, see STACK.md).
socketio = LiveSocketIO()
# Interface language (Italian and English).
babel = Babel()
# Rate limits: memory storage embedded, Redis when RATELIMIT_STORAGE_URI says so.
limiter = Limiter(key_func=get_remote_address)
# Alembic migrations (render_as_batch for SQLite).
migrate = Migrate()
