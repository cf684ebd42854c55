"""Receivers of the ideas board's events: notifications, points, the badge, the Creator segment.

They run inside the service's transaction, so what they write commits with the fact.
"""

from sqlalchemy import select

from . import events
from .extensions import db
from .models import Idea, IdeaFollow, IdeaVote, User
from .notify import notify

_connected = False


def idea_path(idea_id: int) -> str:
    """The idea page's path, built without a request."""
    return f"/ideas/{idea_id}"


def audience(idea: Idea) -> list[User]:
    """The author, the voters and the followers of an idea, each once, in id order."""
    ids = {idea.author_id}
    ids |= set(db.session.scalars(select(IdeaVote.user_id).where(IdeaVote.idea_id == idea.id)))
    ids |= set(db.session.scalars(select(IdeaFollow.user_id).where(IdeaFollow.idea_id == idea.id)))
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def on_idea_status_changed(_sender, idea, old, new, actor, **_):
    for user in audience(idea):
        if actor is not None and user.id == actor.id:
            continue
        notify(user, "idea_status", idea_path(idea.id), title=idea.title, status=new)
    _points(idea, old, new, actor)


def _points(idea, old, new, actor):
    from gamification import ledger
    from gamification.badges import evaluate

    live = ledger.live_entries(reasons=("idea_delivered",), source_type="idea", source_id=idea.id)
    if new == "delivered":
        if not live:
            ledger.award(idea.author_id, "idea_delivered", source_type="idea", source_id=idea.id)
        evaluate("idea_delivered", idea.author_id, {"source": ("idea", idea.id)})
    elif live:
        ledger.reverse_all(live, actor_id=actor.id if actor is not None else None)


def on_idea_merged(_sender, duplicate, kept, followers, actor, **_):
    users = db.session.scalars(select(User).where(User.id.in_(list(followers) or [0])).order_by(User.id))
    for user in users:
        if actor is not None and user.id == actor.id:
            continue
        notify(user, "idea_merged", idea_path(kept.id), title=duplicate.title)


def ideas_creators(since, until):
    """Members who posted an idea in the window (a Creator source of the segments)."""
    return select(Idea.author_id).where(
        Idea.deleted_at.is_(None), Idea.created_at >= since, Idea.created_at < until
    ).group_by(Idea.author_id)


def connect() -> None:
    """Connect the receivers and register the Creator source (once per process)."""
    global _connected
    if _connected:
        return
    from gamification.segments import add_creator_source

    from . import ideas_checks  # noqa: F401  (registers the doctor check)

    events.idea_status_changed.connect(on_idea_status_changed)
    events.idea_merged.connect(on_idea_merged)
    add_creator_source(ideas_creators)
    _connected = True
