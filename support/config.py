"""Settings read from environment variables, with safe embedded defaults."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = BASE_DIR / "instance"


def _bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        # O_EXCL so two processes starting together do not write two different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from the environment."""
    instance_path = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'passaparola.db'}"
    production = os.environ.get("PASSAPAROLA_ENV", "development") == "production"
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_STRATEGY": "moving-window",
        # Degrade to per-process memory limits when Redis is briefly away, never 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # Sign-in attempts per address; failed ones per account, however many addresses try it.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "6 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes"),
        "REGISTER_RATE_LIMIT": os.environ.get("REGISTER_RATE_LIMIT", "3 per day"),
        "PREVIEW_RATE_LIMIT": os.environ.get("PREVIEW_RATE_LIMIT", "60 per minute"),
        "OUTBOX_INLINE": _bool("OUTBOX_INLINE", True),
        # Run the escalation ladder in a background thread of the web process; false when
        # `flask support sla-tick --every 60` runs it as its own process.
        "SLA_INLINE": _bool("SLA_INLINE", True),
        "SLA_TICK_SECONDS": int(os.environ.get("SLA_TICK_SECONDS", 60)),
        # Where links in emails and SMS point.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Dotted path of the email/SMS sender; the default writes to the log.
        "NOTIFY_SENDER": os.environ.get("NOTIFY_SENDER", "support.notify.LoggingSender"),
        "WEBHOOK_TIMEOUT": float(os.environ.get("WEBHOOK_TIMEOUT", 5)),
        # Largest accepted request body; larger requests get 413.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 256 * 1024)),
        "MAX_POST_LENGTH": 30_000,
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "it"),
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["it", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "PER_PAGE": 20,
        "SEED_DEMO_ON_START": _bool("SEED_DEMO_ON_START", True),
        # Socket.IO: origins allowed to connect; None means same origin only.
        "SOCKETIO_CORS_ALLOWED_ORIGINS": os.environ.get("SOCKETIO_CORS_ALLOWED_ORIGINS") or None,
        # Redis pub/sub ignores the database number: deployments sharing one Redis need
        # their own channel, or they hear each other's live events.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "flask-socketio"),
        # How many reverse proxies (nginx) set X-Forwarded-For/-Proto/-Host in front of
        # the app; 0 when clients reach it directly (they could forge those headers).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or 0),
        # Pages kept for anonymous readers (support/pagecache.py), per web process; 0: off.
        "PAGE_CACHE_MB": int(os.environ.get("PAGE_CACHE_MB", 32)),
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", 60)),
        "PAGE_CACHE_LIST_SECONDS": int(os.environ.get("PAGE_CACHE_LIST_SECONDS", 10)),
    }
