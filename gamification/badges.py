"""The badge engine: each badge is one declarative rule, granted once (per tag for tag badges)."""

import functools
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from support.bulk import importing
from support.extensions import db
from support.models.base import utcnow

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


def held_by(user_ids) -> dict[int, set[tuple[str, int]]]:
    """Return {member: (badge, tag_key) pairs held} for several members at once."""
    owned: dict[int, set] = {}
    for user_id, slug, tag_key in db.session.execute(_HELD, {"user_ids": list(user_ids)}):
        owned.setdefault(user_id, set()).add((slug, tag_key))
    return owned


_awards = BadgeAward.__table__
_HELD = select(_awards.c.user_id, _awards.c.badge, _awards.c.tag_key).where(
    _awards.c.user_id.in_(bindparam("user_ids", expanding=True))
)


@functools.cache
def _grant_statement(dialect: str):
    """The insert of a grant, once per dialect: ON CONFLICT DO NOTHING makes a second grant
    of the same badge add nothing, without the cost of a savepoint."""
    from .ledger import insert_for  # the ledger builds on the badge engine, not the reverse

    return (
        insert_for(dialect)(_awards).values(**{c: bindparam(c) for c in _GRANT_COLUMNS})
        .on_conflict_do_nothing(index_elements=["user_id", "badge", "tag_key"])
        .returning(_awards.c.id)
    )


_GRANT_COLUMNS = ("user_id", "badge", "tag_key", "tag_name", "source_type", "source_id", "awarded_at")


def grant(user_id, slug, *, tag_id=0, tag_name=None, source=(None, None)) -> BadgeAward | None:
    """Grant a badge once; return the new grant (not attached to the session), or None when
    the member already has it."""
    award = BadgeAward(user_id=user_id, badge=slug, tag_key=tag_id or 0, tag_name=tag_name,
                       source_type=source[0], source_id=source[1], awarded_at=utcnow())
    values = {column: getattr(award, column) for column in _GRANT_COLUMNS}
    award.id = db.session.execute(_grant_statement(db.engine.dialect.name), values).scalar()
    if award.id is None:
        return None
    from .live import badge_granted  # the live side builds on the catalogue

    badge_granted(user_id, slug, tag_name)
    return award


def evaluate(trigger: str, user_id: int | None, ctx: dict | None = None) -> list[BadgeAward]:
    """Check the badges a trigger may earn a member and grant the ones now deserved."""
    return evaluate_many([(trigger, user_id, ctx)])


def evaluate_many(checks) -> list[BadgeAward]:
    """Run several (trigger, member, ctx) checks of one event, reading what the members
    already hold in one query (a vote checks both the voter and the author)."""
    checks = [(trigger, user_id, ctx or {}) for trigger, user_id, ctx in checks if user_id]
    if not checks or importing.get():  # rebuilt once after a bulk import
        return []
    owned = held_by({user_id for _trigger, user_id, _ctx in checks})
    granted = []
    token = _memo.set({})
    try:
        for trigger, user_id, ctx in checks:
            _evaluate(trigger, user_id, ctx, owned.get(user_id, set()), granted)
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
