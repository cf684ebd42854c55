"""API endpoints of gamification: leaderboard, badges, a member's points (API.md)."""

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import func, select

from support.api.auth import caller, identify_caller
from support.api.parsing import query_choice, query_tag
from support.api.serializers import iso
from support.extensions import csrf, db
from support.models import User
from support.pagination import page_args

from .badges import CATALOGUE
from .leaderboard import PERIODS, standing_of, tag_key_for, top
from .models import BadgeAward, PointsEntry

bp = Blueprint("gamification_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(identify_caller)


@bp.get("/leaderboard")
def leaderboard():
    period = query_choice("period", PERIODS, default="week")
    tag_key = tag_key_for(query_tag())
    if tag_key is None:
        abort(404)
    try:
        limit = min(max(int(request.args.get("limit", 20)), 1), 100)
    except ValueError:
        limit = 20
    body = {
        "period": period,
        "items": [
            {"rank": s.rank, "user": {"id": s.user_id, "username": s.username,
                                       "url": url_for("users.profile", user_id=s.user_id)}, "points": s.points}
            for s in top(period, tag_key, limit)
        ],
    }
    me = caller()
    if me is not None:
        mine = standing_of(me.id, period, tag_key)
        body["me"] = {"rank": mine.rank, "points": mine.points} if mine else {"rank": None, "points": 0}
    return jsonify(body)


@bp.get("/badges")
def badges():
    holders = dict(db.session.execute(
        select(BadgeAward.badge, func.count(func.distinct(BadgeAward.user_id))).group_by(BadgeAward.badge)
    ).all())
    return jsonify([
        {"slug": b.slug, "name": str(b.name), "description": str(b.description), "tier": b.tier,
         "per_tag": b.per_tag, "holders": holders.get(b.slug, 0)}
        for b in CATALOGUE.values()
    ])


@bp.get("/users/<int:user_id>/points")
def user_points(user_id):
    if db.session.get(User, user_id) is None:
        abort(404)
    page, per_page = page_args()
    base = select(PointsEntry).where(PointsEntry.user_id == user_id)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.scalars(base.order_by(PointsEntry.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return jsonify({
        "items": [
            {"delta": r.delta, "reason": r.reason, "source_type": r.source_type, "source_id": r.source_id,
             "created_at": iso(r.created_at), "reverses_id": r.reverses_id}
            for r in rows
        ],
        "page": page, "per_page": per_page, "total": total,
    })
