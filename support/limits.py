"""Community rate limits that are rules of the service (GAMIFICATION.md "Anti-abuse").

Checked inside the service transaction after locking the member's row, so parallel
requests from one member are counted one after the other and never slip past a limit.
Like every rate limit, RATELIMIT_ENABLED=false switches them off.
"""

import math
import re
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _, ngettext
from sqlalchemy import func, select

from .errors import RateLimited
from .extensions import db
from .models import Answer, Question, User, Vote
from .models.base import UTC, utcnow
from .ranks import RANKS

DEFAULTS = {
    "votes_per_day": 40,
    "new_questions_per_day": 3,
    "new_answers_per_day": 10,
    "new_links_per_post": 2,
    "new_seconds_between_posts": 30,
    "new_account_hours": 24,
}
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def setting(name: str) -> int:
    """Return a limit, overridable in the app config as LIMIT_<NAME>."""
    return int(current_app.config.get(f"LIMIT_{name.upper()}", DEFAULTS[name]))


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.date(), time(), tzinfo=UTC)


def _seconds_to_midnight(now: datetime) -> int:
    return int((_start_of_day(now) + timedelta(days=1) - now).total_seconds()) + 1


def lock_member(user_id: int) -> None:
    """Serialise one member's writes (a row lock on PostgreSQL; SQLite already serialises)."""
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())


def is_new_account(user) -> bool:
    """Return whether the new-account limits apply: first 24 hours, or still a Newcomer."""
    age = utcnow() - user.created_at
    return not user.is_staff and (age < timedelta(hours=setting("new_account_hours")) or (user.points or 0) < RANKS[1].points)


def check_vote_quota(voter) -> None:
    """Refuse a new vote beyond the daily number of votes per member."""
    if not _enabled() or voter.is_staff:
        return
    lock_member(voter.id)
    now = utcnow()
    cast = db.session.scalar(select(func.count()).where(Vote.voter_id == voter.id, Vote.created_at >= _start_of_day(now)))
    if cast >= setting("votes_per_day"):
        raise RateLimited(
            _("You have used your %(n)d votes for today. Votes come back at midnight (UTC).", n=setting("votes_per_day")),
            retry_after=_seconds_to_midnight(now),
        )


def check_post_quota(author, kind: str, body: str) -> None:
    """Apply the new-account limits to a new question or answer."""
    if not _enabled() or not is_new_account(author):
        return
    lock_member(author.id)
    now = utcnow()
    links = len(LINK.findall(body or ""))
    if links > setting("new_links_per_post"):
        raise RateLimited(
            _("New members can include at most %(n)d links in a post.", n=setting("new_links_per_post")),
            code="too_many_links",
        )
    model = Question if kind == "question" else Answer
    latest = db.session.scalar(select(func.max(model.created_at)).where(model.author_id == author.id))
    other = Answer if kind == "question" else Question
    latest_other = db.session.scalar(select(func.max(other.created_at)).where(other.author_id == author.id))
    latest = max(filter(None, (latest, latest_other)), default=None)
    wait = setting("new_seconds_between_posts")
    if latest is not None and (now - latest).total_seconds() < wait:
        retry = max(1, math.ceil(wait - (now - latest).total_seconds()))
        raise RateLimited(
            ngettext("Please wait %(num)d second before posting again.",
                     "Please wait %(num)d seconds before posting again.", retry),
            retry_after=retry,
        )
    limit = setting("new_questions_per_day" if kind == "question" else "new_answers_per_day")
    today = db.session.scalar(
        select(func.count()).where(model.author_id == author.id, model.created_at >= _start_of_day(now))
    )
    if today >= limit:
        message = (
            _("New members can ask %(n)d questions a day. Thank you for your patience!", n=limit)
            if kind == "question"
            else _("New members can post %(n)d answers a day. Thank you for your patience!", n=limit)
        )
        raise RateLimited(message, retry_after=_seconds_to_midnight(now))
