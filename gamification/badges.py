"""The badge engine: each badge is one declarative rule, granted once (per tag for tag badges)."""

import functools
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from support.bulk import importing
from support.extensions import db

from .models import BadgeAward

TIERS = ("bronze", "silver", "gold")


@dataclass(frozen=True)
class Badge:
    slug: str
    tier: str
    name: object
    description: object
    triggers: frozenset
    check: object = field(compare=False)
    per_tag: bool = False


CATALOGUE: dict[str, Badge] = {}
_memo: ContextVar[dict | None] = ContextVar("badge_memo", default=None)


def memoized(fn):
    """Cache a fact query for the length of one evaluation (several badges ask the same)."""

    @functools.wraps(fn)
    def wrapper(*args):
        memo = _memo.get()
        if memo is None:
            return fn(*args)
        key = (fn.__name__, *args)
        if key not in memo:
            memo[key] = fn(*args)
        return memo[key]

    return wrapper


def badge(slug, tier, name, description, on, per_tag=False):
    """Register a badge rule: `check(user_id, ctx)` returns True (or, per tag, [(tag_id, name)])."""
    assert tier in TIERS

    def decorate(check):
        CATALOGUE[slug] = Badge(slug, tier, name, description, frozenset(on), check, per_tag)
        return check

    return decorate


def held(user_id: int) -> set[tuple[str, int]]:
    """Return the (badge, tag_key) pairs a member already holds."""
    return {(row[0], row[1]) for row in db.session.execute(select(BadgeAward.badge, BadgeAward.tag_key).where(BadgeAward.user_id == user_id))}


def grant(user_id, slug, *, tag_id=0, tag_name=None, source=(None, None)) -> BadgeAward | None:
    """Grant a badge once; return the new grant, or None when the member already has it."""
    award = BadgeAward(user_id=user_id, badge=slug, tag_key=tag_id or 0, tag_name=tag_name,
                       source_type=source[0], source_id=source[1])
    try:
        with db.session.begin_nested():
            db.session.add(award)
    except IntegrityError:
        return None
    from .live import badge_granted  # the live side builds on the catalogue

    badge_granted(user_id, slug, tag_name)
    return award


def evaluate(trigger: str, user_id: int | None, ctx: dict | None = None) -> list[BadgeAward]:
    """Check the badges a trigger may earn a member and grant the ones now deserved."""
    if not user_id or importing.get():  # rebuilt once after a bulk import
        return []
    ctx = ctx or {}
    owned = held(user_id)
    granted = []
    token = _memo.set({})
    try:
        _evaluate(trigger, user_id, ctx, owned, granted)
    finally:
        _memo.reset(token)
    return granted


def _evaluate(trigger, user_id, ctx, owned, granted):
    for info in CATALOGUE.values():
        if trigger not in info.triggers:
            continue
        if not info.per_tag and (info.slug, 0) in owned:
            continue
        result = info.check(user_id, ctx)
        if info.per_tag:
            for tag_id, tag_name in result or ():
                if (info.slug, tag_id) not in owned:
                    award = grant(user_id, info.slug, tag_id=tag_id, tag_name=tag_name, source=ctx.get("source", (None, None)))
                    granted += [award] if award else []
        elif result:
            award = grant(user_id, info.slug, source=ctx.get("source", (None, None)))
            granted += [award] if award else []
