"""Pages: leaderboards, the badge catalogue, the segments report and the points settings."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from support.api.parsing import query_tag
from support.charts import line_chart
from support.errors import ServiceError
from support.extensions import db
from support.forms import apply_errors
from support.models import Tag
from support.pagecache import for_visitors
from support.permissions import require

from .badges import CATALOGUE, TIERS
from .forms import PointsSettingsForm
from .leaderboard import PERIODS, standing_of, tag_key_for, top
from .models import BadgeAward
from .segments import BENCHMARKS, weekly_shares
from .settings import save_points_settings

bp = Blueprint("gamification", __name__)


BOARD_SIZE = 50  # rows on a leaderboard page


@bp.route("/leaderboard")
@for_visitors()
def leaderboard():
    period = request.args.get("period") if request.args.get("period") in PERIODS else "week"
    tag = query_tag()
    tag_key = tag_key_for(tag)
    if tag_key is None:
        abort(404)
    rows = top(period, tag_key, limit=BOARD_SIZE)
    me = standing_of(current_user.id, period, tag_key) if current_user.is_authenticated else None
    tags = db.session.scalars(select(Tag.name).order_by(Tag.name).limit(300)).all()
    return render_template("gamification/leaderboard.html", rows=rows, me=me, period=period, tag=tag,
                           periods=PERIODS, tags=tags, best=rows[0].points if rows else 1,
                           tag_key=tag_key, limit=BOARD_SIZE)


@bp.route("/badges")
def badges():
    holders = dict(db.session.execute(
        select(BadgeAward.badge, func.count(func.distinct(BadgeAward.user_id))).group_by(BadgeAward.badge)
    ).all())
    grouped = {tier: [b for b in CATALOGUE.values() if b.tier == tier] for tier in TIERS}
    return render_template("gamification/badges.html", grouped=grouped, holders=holders)


@bp.route("/staff/segments")
@login_required
def segments():
    require(current_user, "staff")
    shares = weekly_shares(12)
    labels = [p["day"].strftime("%d/%m") for p in shares]
    chart = line_chart(
        labels,
        [(_("Creators"), [p["creator"] for p in shares])],
        title=_("Share of Creators among active members, last 12 weeks"),
        percent=True,
        references=[(str(name), value) for _slug, name, value in BENCHMARKS],
    )
    mix = line_chart(
        labels,
        [(_("Creators"), [p["creator"] for p in shares]),
         (_("Contributors"), [p["contributor"] for p in shares]),
         (_("Viewers"), [p["viewer"] for p in shares])],
        title=_("Creators, Contributors and Viewers, last 12 weeks"),
        percent=True, y_max=1.0,
    )
    return render_template("gamification/segments.html", shares=shares, chart=chart, mix=mix, benchmarks=BENCHMARKS)


@bp.route("/admin/gamification", methods=["GET", "POST"])
@login_required
def settings():
    require(current_user, "admin")
    form = PointsSettingsForm.from_settings()
    if form.validate_on_submit():
        try:
            save_points_settings(current_user, form.data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The points settings are saved."), "success")
            return redirect(url_for("gamification.settings"))
    return render_template("gamification/settings.html", form=form)


@bp.route("/answers/<int:answer_id>/link")
def answer_link(answer_id):
    """Send a reader to an answer on its question page (used by the points history)."""
    from support.models import Answer

    answer = db.session.get(Answer, answer_id)
    if answer is None:
        abort(404)
    return redirect(url_for("qa.question", question_id=answer.question_id, _anchor=f"answer-{answer.id}"))


@bp.route("/questions/needs-expert")
@login_required
def expert_queue():
    """Unanswered questions waiting longer than they should: the Expert rank's queue."""
    from datetime import timedelta

    from support.models import Question
    from support.models.base import utcnow
    from support.pagination import page_args, paginate
    from support.queries import question_list
    from support.sla import ladder_settings

    require(current_user, "expert_queue")
    # T1 of the escalation ladder, which an administrator sets on /admin/support.
    minutes = ladder_settings()["expert_minutes"]
    stmt = question_list(status="open", sort="newest").where(Question.created_at <= utcnow() - timedelta(minutes=minutes))
    page, per_page = page_args()
    # Counted only up to a limit, like the question lists: the queue can hold most of a big community.
    result = paginate(stmt, page, per_page, count_limit=1000, key=Question.id)
    return render_template("gamification/expert_queue.html", page=result, minutes=minutes)
