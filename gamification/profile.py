"""What gamification adds to a member's profile and to the API's user object."""

from sqlalchemy import select

from support.api.serializers import iso
from support.extensions import db
from support.ranks import RANKS, next_rank, progress, rank_for

from .badges import CATALOGUE
from .models import BadgeAward, PointsEntry
from .rules import reason_label
from .segments import segment_of


def badges_of(user_id: int) -> list[dict]:
    """Return a member's badges, newest first."""
    rows = db.session.scalars(
        select(BadgeAward).where(BadgeAward.user_id == user_id).order_by(BadgeAward.awarded_at.desc(), BadgeAward.id.desc())
    )
    out = []
    for row in rows:
        info = CATALOGUE.get(row.badge)
        if info is None:
            continue
        name = f"{info.name}: {row.tag_name}" if row.tag_name else str(info.name)
        out.append({"slug": row.badge, "name": name, "tier": info.tier, "tag": row.tag_name,
                    "description": str(info.description), "awarded_at": row.awarded_at})
    return out


def points_history(user_id: int, limit: int = 30, offset: int = 0) -> list[dict]:
    """Return a member's latest ledger rows with a label and what earned them."""
    rows = db.session.scalars(
        select(PointsEntry).where(PointsEntry.user_id == user_id)
        # Newest first along the (member, date) index; by id alone it would sort all their rows.
        .order_by(PointsEntry.created_at.desc(), PointsEntry.id.desc()).limit(limit).offset(offset)
    )
    return [
        {"delta": r.delta, "reason": r.reason, "label": reason_label(r.reason), "reversal": r.reverses_id is not None,
         "source_type": r.source_type, "source_id": r.source_id, "created_at": r.created_at}
        for r in rows
    ]


def rank_info(points: int) -> dict:
    """Return the member's rank, the next one and the progress between them."""
    done, span = progress(points)
    upcoming = next_rank(points)
    return {"rank": rank_for(points), "next": upcoming, "done": done, "span": span,
            "to_go": (upcoming.points - points) if upcoming else 0, "ranks": RANKS}


def user_extras(user) -> dict:
    """Add segment and badges to the API's user object."""
    return {
        "segment": segment_of(user.id),
        "badges": [{"slug": b["slug"], "name": b["name"], "tier": b["tier"], "awarded_at": iso(b["awarded_at"])}
                   for b in badges_of(user.id)],
    }
