"""The ideas board: post, vote (with a limit of open votes), follow, comment, answer, merge.

Every write is one transaction. Votes are exact under parallel clicks: the member's users
row is locked first (PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), then the
idea's row, so the open-vote limit and the one-vote-per-member rule hold.
"""

import re
from datetime import timedelta
from statistics import median

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import events
from ..database import transactional
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..limits import lock_member
from ..models import Idea, IdeaComment, IdeaEvent, IdeaFollow, IdeaVote, Tag, idea_tags
from ..models.base import utcnow
from ..models.ideas import CLOSED_STATUSES, IDEA_STATUSES
from ..permissions import require
from ..text import render_markdown
from . import validation
from .settings import get_setting, set_setting
from .tags import get_or_create_tags

SETTINGS_KEY = "ideas.settings"
DEFAULT_SETTINGS = {"open_votes": 10, "waiting_days": 14}
SORTS = ("trending", "top", "newest")
TRENDING_DAYS = 14
STAFF_STATUSES = tuple(s for s in IDEA_STATUSES if s != "new")


# Settings -----------------------------------------------------------------------------

def ideas_settings() -> dict:
    """The settings in force: defaults with an administrator's overrides."""
    stored = get_setting(SETTINGS_KEY, {}) or {}
    return {key: int(stored.get(key, default)) for key, default in DEFAULT_SETTINGS.items()}


@transactional
def save_ideas_settings(actor, values: dict) -> dict:
    """Store the open-vote limit and the waiting days (administrators only)."""
    require(actor, "admin")
    clean = {}
    for key, (low, high) in {"open_votes": (1, 100), "waiting_days": (1, 365)}.items():
        value = values.get(key, ideas_settings()[key])
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or not low <= number <= high:
            msg = _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
            raise Invalid(msg, fields={key: msg})
        clean[key] = number
    set_setting(actor, SETTINGS_KEY, clean)
    return clean


# Reading ------------------------------------------------------------------------------

def get_idea(idea_id, *, lock=False) -> Idea:
    """Return a visible idea or raise NotFound."""
    stmt = select(Idea).where(Idea.id == idea_id, Idea.deleted_at.is_(None))
    if lock:
        stmt = stmt.with_for_update(of=Idea)
    idea = db.session.scalar(stmt) if validation.is_id(idea_id) else None
    if idea is None:
        raise NotFound(_("This idea does not exist or was removed."))
    return idea


def idea_list(status=None, tag=None, sort="trending"):
    """The board's select: merged and deleted ideas are not listed."""
    stmt = select(Idea).where(Idea.deleted_at.is_(None), Idea.merged_into_id.is_(None))
    if status in IDEA_STATUSES:
        stmt = stmt.where(Idea.status == status)
    if tag:
        stmt = stmt.where(
            Idea.id.in_(select(idea_tags.c.idea_id).join(Tag, Tag.id == idea_tags.c.tag_id).where(Tag.name == tag))
        )
    if sort == "top":
        return stmt.order_by(Idea.votes.desc(), Idea.created_at.desc(), Idea.id.desc())
    if sort == "newest":
        return stmt.order_by(Idea.created_at.desc(), Idea.id.desc())
    since = utcnow() - timedelta(days=TRENDING_DAYS)
    recent = (
        select(IdeaVote.idea_id.label("idea_id"), func.count().label("n"))
        .where(IdeaVote.created_at >= since)
        .group_by(IdeaVote.idea_id)
        .subquery()
    )
    return stmt.outerjoin(recent, recent.c.idea_id == Idea.id).order_by(
        func.coalesce(recent.c.n, 0).desc(), Idea.created_at.desc(), Idea.id.desc()
    )


def my_vote(user, idea) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(IdeaVote.id).where(IdeaVote.idea_id == idea.id, IdeaVote.user_id == user.id)
    ) is not None


def follows(user, idea) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(IdeaFollow, (idea.id, user.id)) is not None


def vote_state(user, ideas) -> set[int]:
    """The ids, among these ideas, the member voted for (one query)."""
    ids = [idea.id for idea in ideas]
    if user is None or not getattr(user, "is_authenticated", False) or not ids:
        return set()
    return set(db.session.scalars(select(IdeaVote.idea_id).where(IdeaVote.user_id == user.id, IdeaVote.idea_id.in_(ids))))


def open_votes_of(user_id: int) -> int:
    """How many of the member's votes are on ideas still open (they count toward the limit)."""
    return db.session.scalar(
        select(func.count()).select_from(IdeaVote).join(Idea, Idea.id == IdeaVote.idea_id).where(
            IdeaVote.user_id == user_id,
            Idea.status.not_in(CLOSED_STATUSES),
            Idea.merged_into_id.is_(None),
            Idea.deleted_at.is_(None),
        )
    ) or 0


def timeline(idea) -> list[IdeaEvent]:
    return list(db.session.scalars(
        select(IdeaEvent).where(IdeaEvent.idea_id == idea.id).order_by(IdeaEvent.created_at, IdeaEvent.id)
    ))


def comments_of(idea) -> list[IdeaComment]:
    return list(db.session.scalars(
        select(IdeaComment).where(IdeaComment.idea_id == idea.id, IdeaComment.deleted_at.is_(None))
        .order_by(IdeaComment.created_at, IdeaComment.id)
    ))


# Writing ------------------------------------------------------------------------------

def _follow(idea_id: int, user_id: int) -> None:
    if db.session.get(IdeaFollow, (idea_id, user_id)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(IdeaFollow(idea_id=idea_id, user_id=user_id))
    except IntegrityError:  # followed by a parallel request a moment ago
        pass


@transactional
def post_idea(author, title, body, tags) -> Idea:
    """Publish an idea; its author follows it."""
    require(author, "ask")
    title = validation.title(title)
    body = validation.body(body)
    names = validation.tags(tags, required=False)
    idea = Idea(
        author_id=author.id, title=title, body=body, body_html=render_markdown(body),
        status="new", votes=0, tags=get_or_create_tags(names),
    )
    db.session.add(idea)
    db.session.flush()
    db.session.add(IdeaEvent(idea_id=idea.id, actor_id=author.id, kind="posted", to_status="new"))
    _follow(idea.id, author.id)
    events.idea_posted.send(None, idea=idea, actor=author)
    return idea


def _recount(idea_id: int) -> None:
    count = select(func.count()).select_from(IdeaVote).where(IdeaVote.idea_id == idea_id).scalar_subquery()
    db.session.execute(update(Idea).where(Idea.id == idea_id).values(votes=count))


@transactional
def vote(user, idea_id) -> Idea:
    """Vote an idea up (once; a second click changes nothing); the voter follows it."""
    require(user, "ask")
    lock_member(user.id)
    idea = get_idea(idea_id, lock=True)
    if idea.author_id == user.id:
        raise Forbidden(_("You cannot vote for your own idea."))
    if idea.merged_into_id is not None:
        raise Conflict(_("This idea was merged into a similar one: vote there."))
    if idea.status in CLOSED_STATUSES:
        raise Conflict(_("This idea is closed: it no longer takes votes."))
    if my_vote(user, idea):
        return idea
    limit = ideas_settings()["open_votes"]
    if open_votes_of(user.id) >= limit:
        raise Conflict(_(
            "You have used your %(n)d open votes: take one back, or wait until an idea you voted for "
            "is delivered or declined.", n=limit,
        ), code="vote_limit")
    try:
        with db.session.begin_nested():
            db.session.add(IdeaVote(idea_id=idea.id, user_id=user.id))
    except IntegrityError:  # the same vote committed by a parallel request (double click)
        return idea
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(votes=Idea.votes + 1, last_activity_at=utcnow()))
    _follow(idea.id, user.id)
    db.session.flush()
    db.session.expire(idea, ["votes", "last_activity_at"])
    return idea


@transactional
def retract_vote(user, idea_id) -> Idea:
    """Take a vote back (nothing happens if there was none)."""
    require(user, "ask")
    lock_member(user.id)
    idea = get_idea(idea_id, lock=True)
    removed = db.session.execute(
        delete(IdeaVote).where(IdeaVote.idea_id == idea.id, IdeaVote.user_id == user.id)
    ).rowcount
    if removed:
        db.session.execute(update(Idea).where(Idea.id == idea.id).values(votes=Idea.votes - removed))
        db.session.flush()
        db.session.expire(idea, ["votes"])
    return idea


@transactional
def follow(user, idea_id) -> Idea:
    require(user, "ask")
    idea = get_idea(idea_id)
    _follow(idea.id, user.id)
    return idea


@transactional
def unfollow(user, idea_id) -> Idea:
    require(user, "ask")
    idea = get_idea(idea_id)
    db.session.execute(delete(IdeaFollow).where(IdeaFollow.idea_id == idea.id, IdeaFollow.user_id == user.id))
    return idea


@transactional
def comment(user, idea_id, body) -> IdeaComment:
    """Comment an idea (members and staff alike)."""
    require(user, "ask")
    idea = get_idea(idea_id)
    if idea.merged_into_id is not None:
        raise Conflict(_("This idea was merged into a similar one: comment there."))
    text = validation.check_length("body", body, 2, 2000)
    note = IdeaComment(idea_id=idea.id, author_id=user.id, body=text, body_html=render_markdown(text))
    db.session.add(note)
    idea.last_activity_at = utcnow()
    db.session.flush()
    return note


def _require_staff(actor) -> None:
    require(actor, "ask")  # logged in and active
    if not actor.is_staff:
        raise Forbidden(_("Only staff can do this."))


@transactional
def set_status(actor, idea_id, status, response) -> Idea:
    """Staff set a status with a public response; the author, voters and followers hear of it."""
    _require_staff(actor)
    if status not in STAFF_STATUSES:
        msg = _("Choose a status.")
        raise Invalid(msg, fields={"status": msg})
    response = validation.check_length("response", response, 10, 5000)
    idea = get_idea(idea_id, lock=True)
    if idea.merged_into_id is not None:
        raise Conflict(_("This idea was merged into a similar one."))
    old = idea.status
    now = utcnow()
    idea.status = status
    idea.response = response
    idea.response_html = render_markdown(response)
    idea.status_changed_at = now
    idea.last_activity_at = now
    if idea.first_response_at is None:
        idea.first_response_at = now
    db.session.add(IdeaEvent(
        idea_id=idea.id, actor_id=actor.id, kind="status", from_status=old, to_status=status,
        response=response, response_html=idea.response_html,
    ))
    db.session.flush()
    events.idea_status_changed.send(None, idea=idea, old=old, new=status, actor=actor)
    return idea


@transactional
def merge(actor, duplicate_id, kept_id) -> Idea:
    """Merge a duplicate into the kept idea: votes and followers move (one vote per member)."""
    _require_staff(actor)
    if duplicate_id == kept_id:
        raise Conflict(_("An idea cannot be merged into itself."))
    # Lock both rows in id order, so two merges never wait on each other in a cycle.
    for idea_id in sorted((duplicate_id, kept_id)):
        get_idea(idea_id, lock=True)
    duplicate, kept = get_idea(duplicate_id), get_idea(kept_id)
    if duplicate.merged_into_id is not None:
        raise Conflict(_("This idea was already merged."))
    if kept.merged_into_id is not None:
        raise Conflict(_("An idea cannot be merged into an idea that was itself merged."))
    # The kept idea's author cannot vote for it, so their vote on the duplicate is dropped too.
    kept_voters = select(IdeaVote.user_id).where(IdeaVote.idea_id == kept.id).union(select(kept.author_id))
    # Votes: move those of members who did not vote on the kept idea, drop the rest.
    db.session.execute(
        update(IdeaVote).where(IdeaVote.idea_id == duplicate.id, IdeaVote.user_id.not_in(kept_voters))
        .values(idea_id=kept.id).execution_options(synchronize_session=False)
    )
    db.session.execute(delete(IdeaVote).where(IdeaVote.idea_id == duplicate.id).execution_options(synchronize_session=False))
    # Followers likewise; remember who followed the duplicate, to tell them.
    dup_followers = list(db.session.scalars(select(IdeaFollow.user_id).where(IdeaFollow.idea_id == duplicate.id)))
    kept_followers = set(db.session.scalars(select(IdeaFollow.user_id).where(IdeaFollow.idea_id == kept.id)))
    db.session.execute(delete(IdeaFollow).where(IdeaFollow.idea_id == duplicate.id).execution_options(synchronize_session=False))
    for user_id in dup_followers:
        if user_id not in kept_followers:
            db.session.add(IdeaFollow(idea_id=kept.id, user_id=user_id))
    db.session.flush()
    _recount(duplicate.id)
    _recount(kept.id)
    now = utcnow()
    duplicate.merged_into_id = kept.id
    duplicate.last_activity_at = now
    kept.last_activity_at = now
    db.session.add(IdeaEvent(idea_id=duplicate.id, actor_id=actor.id, kind="merged", other_idea_id=kept.id))
    db.session.add(IdeaEvent(idea_id=kept.id, actor_id=actor.id, kind="merged_in", other_idea_id=duplicate.id))
    db.session.flush()
    db.session.expire(duplicate, ["votes"])
    db.session.expire(kept, ["votes"])
    events.idea_merged.send(None, duplicate=duplicate, kept=kept, followers=dup_followers, actor=actor)
    return kept


# Similar ideas ------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
STOP_WORDS = frozenset(
    """a ad al alla alle allo ai agli che chi con da dal dalla dei del della delle di e ed gli i il in la le lo
    ma mi ne nel nella non o per piu poter poi se si su sul sulla ti tra un una uno vorrei essere avere come
    the an and are be can for from have i in is it of on or please should that the to we with would you your
    add my our me""".split()
)


def _stems(text: str) -> set[str]:
    from search.text import fold, light_stem

    words = (fold(w) for w in _WORD.findall(text or ""))
    return {light_stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS}


def similar_ideas(title, limit=5) -> list[Idea]:
    """Open ideas whose titles share words with a draft title, most words in common first."""
    wanted = _stems(title if isinstance(title, str) else "")
    if not wanted:
        return []
    candidates = db.session.scalars(
        select(Idea).where(Idea.deleted_at.is_(None), Idea.merged_into_id.is_(None), Idea.status.not_in(CLOSED_STATUSES))
        .order_by(Idea.votes.desc(), Idea.id.desc()).limit(2000)
    )
    scored = []
    for idea in candidates:
        common = len(wanted & _stems(idea.title))
        if common:
            scored.append((common, idea.votes, idea.id, idea))
    scored.sort(key=lambda row: (-row[0], -row[1], -row[2]))
    return [row[3] for row in scored[:limit]]


# Staff views --------------------------------------------------------------------------

def waiting(days=None):
    """Ideas still without a staff response after the waiting time, oldest first."""
    days = ideas_settings()["waiting_days"] if days is None else days
    return (
        select(Idea)
        .where(Idea.first_response_at.is_(None), Idea.merged_into_id.is_(None), Idea.deleted_at.is_(None),
               Idea.created_at <= utcnow() - timedelta(days=days))
        .order_by(Idea.created_at, Idea.id)
    )


def ideas_heard(start, end) -> dict:
    """"Ideas heard": how many ideas posted in [start, end) got a response, and how fast."""
    rows = db.session.execute(
        select(Idea.created_at, Idea.first_response_at, Idea.status)
        .where(Idea.deleted_at.is_(None), Idea.merged_into_id.is_(None), Idea.created_at >= start, Idea.created_at < end)
    ).all()
    by_status = {status: 0 for status in IDEA_STATUSES}
    hours = []
    weeks: dict = {}
    for created, responded_at, status in rows:
        by_status[status] = by_status.get(status, 0) + 1
        if responded_at is not None:
            hours.append((responded_at - created).total_seconds() / 3600)
        week = created.date() - timedelta(days=created.weekday())
        row = weeks.setdefault(week, {"week": week, "posted": 0, "responded": 0,
                                      "by_status": {s: 0 for s in IDEA_STATUSES}})
        row["posted"] += 1
        row["responded"] += responded_at is not None
        row["by_status"][status] += 1
    total = len(rows)
    return {
        "ideas": total,
        "responded": len(hours),
        "share_responded": (len(hours) / total) if total else 0.0,
        "median_hours_to_first_response": round(median(hours), 2) if hours else None,
        "by_status": by_status,
        "weekly": [weeks[k] for k in sorted(weeks)],
    }
