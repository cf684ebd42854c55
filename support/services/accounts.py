"""Registration, sign-in, passwords, API tokens and preferences."""

import hashlib
import re
import secrets
from datetime import timedelta
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import events
from ..database import transactional
from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import ApiToken, User
from ..models.base import utcnow
from ..models.users import CONTACT_CHANNELS, ROLES
from . import validation
from .tags import get_or_create_tags

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
TOKEN_DAYS = 90
_COMMON = None


def _common_passwords() -> frozenset:
    global _COMMON
    if _COMMON is None:
        path = Path(__file__).with_name("common_passwords.txt")
        _COMMON = frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())
    return _COMMON


def check_password_strength(password, username="", email="") -> None:
    """Raise Invalid for a password that is short, common or made of the username."""
    if not isinstance(password, str) or len(password) < 8:
        msg = _("Use at least 8 characters.")
        raise Invalid(msg, fields={"password": msg})
    if len(password) > 256:
        msg = _("Use at most 256 characters.")
        raise Invalid(msg, fields={"password": msg})
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(password)) < 4:
        msg = _("This password is too common; choose one that is harder to guess.")
        raise Invalid(msg, fields={"password": msg})
    if username and username.lower() in lowered or email and email.split("@")[0].lower() == lowered:
        msg = _("Do not use your username or email in your password.")
        raise Invalid(msg, fields={"password": msg})


def _check_locale(locale):
    if locale not in (None, "", "it", "en"):
        msg = _("Language must be “it” or “en”.")
        raise Invalid(msg, fields={"locale": msg})
    return locale or None


@transactional
def register_user(username, email, password, locale=None, role="member", display_name=None) -> User:
    """Create a member account; raise Invalid or Conflict with a message per field."""
    username = validation.clean_text(username)
    email = validation.clean_text(email).lower()
    fields = {}
    if not USERNAME_RE.match(username):
        fields["username"] = _("3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
    if not EMAIL_RE.match(email) or len(email) > 254:
        fields["email"] = _("Enter a valid email address.")
    if fields:
        raise Invalid(next(iter(fields.values())), fields=fields)
    check_password_strength(password, username, email)
    locale = _check_locale(locale)
    if role not in ROLES:
        raise Invalid(_("Unknown role."), fields={"role": _("Unknown role.")})
    taken = {}
    if db.session.scalar(select(User.id).where(User.username_key == username.lower())):
        taken["username"] = _("This username is taken.")
    if db.session.scalar(select(User.id).where(User.email == email)):
        taken["email"] = _("An account with this email already exists.")
    if taken:
        raise Conflict(next(iter(taken.values())), fields=taken, code="taken")
    user = User(
        username=username,
        username_key=username.lower(),
        email=email,
        password_hash=generate_password_hash(password),
        locale=locale,
        role=role,
        display_name=validation.clean_text(display_name)[:64] or None,
        last_seen_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:  # the same username or email registered a moment ago
        msg = _("This username or email was just taken. Please choose another.")
        raise Conflict(msg, fields={"username": msg}, code="taken") from exc
    events.user_registered.send(None, user=user)
    return user


def authenticate(login: str, password: str) -> User | None:
    """Return the active user with this username or email and password, else None."""
    if not isinstance(login, str) or not isinstance(password, str):
        return None
    # Cleaned like everything stored: a NUL byte must never reach PostgreSQL (it errors).
    key = validation.clean_text(login).lower()
    user = db.session.scalar(select(User).where((User.username_key == key) | (User.email == key)))
    if user is None or not user.is_active:
        # Same work either way, so response time does not reveal which usernames exist.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return record_sign_in(user.id)


_DUMMY_HASH = generate_password_hash("not-a-real-password")


def account_key(login) -> str:
    """Name the account a sign-in attempt is for: its id, or the login itself when no account has it."""
    if not isinstance(login, str):
        return "none"
    key = validation.clean_text(login).lower()[:254]
    user_id = db.session.scalar(select(User.id).where((User.username_key == key) | (User.email == key)))
    return f"user:{user_id}" if user_id else f"name:{key}"


@transactional
def record_sign_in(user_id: int) -> User:
    """Stamp a successful sign-in (the Viewer segment counts members who signed in)."""
    user = db.session.get(User, user_id)
    user.last_seen_at = utcnow()
    return user


@transactional
def change_password(user_id: int, current: str, new: str) -> User:
    """Change a password; every other session and API token stops working."""
    user = db.session.get(User, user_id)
    if not check_password_hash(user.password_hash, current or ""):
        msg = _("Your current password is not correct.")
        raise Invalid(msg, fields={"current_password": msg})
    check_password_strength(new, user.username, user.email)
    user.password_hash = generate_password_hash(new)
    user.session_version = User.session_version + 1
    db.session.execute(db.delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.flush()
    db.session.refresh(user)
    return user


def hash_token(raw: str) -> str:
    """The stored form of an API token (SHA-256): a leaked table holds no usable token."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transactional
def issue_token(user_id: int) -> str:
    """Create an API token for a member and return it (only its hash is stored)."""
    user = db.session.get(User, user_id)
    raw = "pp_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            user_id=user.id,
            token_hash=hash_token(raw),
            session_version=user.session_version,
            expires_at=utcnow() + timedelta(days=TOKEN_DAYS),
        )
    )
    return raw


def user_for_token(raw: str) -> User | None:
    """Return the member a bearer token belongs to, if it is valid and current."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.expires_at < utcnow():
        return None
    user = token.user
    if not user.is_active or token.session_version != user.session_version:
        return None
    return user


def load_session_user(session_id: str) -> User | None:
    """Return the user for a Flask-Login id "<id>:<session_version>", if still valid."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    if not validation.is_id(user_id):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


@transactional
def update_profile(user_id: int, display_name=None, bio=None) -> User:
    """Change the name shown to others and the short bio."""
    user = db.session.get(User, user_id)
    user.display_name = validation.check_length("display_name", display_name or "", 0, 64) or None
    user.bio = validation.check_length("bio", bio or "", 0, 1000) or None
    return user


@transactional
def update_preferences(user_id: int, contact_channel=None, locale=None, followed_tags=None, phone=None) -> User:
    """Change how a member is contacted, their language and the tags they follow."""
    user = db.session.get(User, user_id)
    if contact_channel is not None:
        if contact_channel not in CONTACT_CHANNELS:
            msg = _("Choose email, sms or in_app.")
            raise Invalid(msg, fields={"contact_channel": msg})
        user.contact_channel = contact_channel
    if locale is not None:
        user.locale = _check_locale(locale)
    if phone is not None:
        user.phone = validation.check_length("phone", phone, 0, 32) or None
    if followed_tags is not None:
        names = validation.tags(followed_tags, required=False, maximum=50, field="followed_tags")
        user.followed_tags = get_or_create_tags(names)
    return user


def preferences_of(user: User) -> dict:
    """Return a member's preferences as plain data."""
    return {
        "contact_channel": user.contact_channel,
        "locale": user.locale,
        "followed_tags": [t.name for t in user.followed_tags],
    }



@transactional
def update_settings(user_id: int, *, display_name=None, bio=None, **preferences) -> User:
    """Save the settings page as one change: all of it or, on an error, none of it."""
    update_profile(user_id, display_name, bio)
    user = update_preferences(user_id, **preferences)
    events.profile_updated.send(None, user=user)
    return user
