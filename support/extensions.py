"""Flask extensions, created unbound; create_app() binds them."""

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
# Live events; async_mode is set explicitly in create_app (threading, see STACK.md).
socketio = SocketIO()
# Interface language (Italian and English).
babel = Babel()
# Rate limits: memory storage embedded, Redis when RATELIMIT_STORAGE_URI says so.
limiter = Limiter(key_func=get_remote_address)
# Alembic migrations (render_as_batch for SQLite).
migrate = Migrate()
