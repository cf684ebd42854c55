"""Views of the ideas board: parse the form, call one service, flash and redirect (or render)."""

from datetime import timedelta

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.forms import ActionForm
from ..charts import line_chart
from ..errors import Conflict, Invalid, ServiceError
from ..extensions import db
from ..forms import apply_errors, one_button
from ..models.base import utcnow
from ..models.ideas import IDEA_STATUSES, Idea
from ..pagination import page_args, paginate
from ..permissions import require
from ..services import ideas as service
from ..services import validation
from . import bp
from .forms import IdeaCommentForm, IdeaForm, IdeasSettingsForm, MergeForm, StatusForm, status_labels

SORTS = ("trending", "top", "newest")
PERIODS = (4, 12, 26)


@bp.app_context_processor
def _ideas_helpers():
    return {"idea_status_labels": status_labels}


def _form_refused(form, exc) -> None:
    """Show a refusal next to the fields it names (403 and 404 still get their pages)."""
    if not isinstance(exc, (Conflict, Invalid)):
        raise exc
    apply_errors(form, exc)


def _idea_url(idea_id, anchor=None):
    return url_for("ideas.idea", idea_id=idea_id, _anchor=anchor)


# The board.

@bp.route("/ideas")
def index():
    status = request.args.get("status") if request.args.get("status") in IDEA_STATUSES else None
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "trending"
    # Cleaned like stored tags: control characters must not reach the database.
    tag = validation.clean_text(request.args.get("tag")).lower()[:32] or None
    page, per_page = page_args()
    result = paginate(service.idea_list(status=status, tag=tag, sort=sort), page, per_page)
    voted = service.vote_state(current_user, result.items) if current_user.is_authenticated else set()
    return render_template("ideas/index.html", page=result, status=status, sort=sort, tag=tag,
                           statuses=IDEA_STATUSES, sorts=SORTS, voted=voted)


@bp.route("/ideas/similar")
def similar():
    """Return up to five open ideas whose titles look like the draft (JSON, for the form)."""
    title = validation.clean_text(request.args.get("title"))[:200]
    found = service.similar_ideas(title, limit=5) if title.strip() else []
    return jsonify([
        {"id": i.id, "title": i.title, "url": _idea_url(i.id), "status": i.status, "votes": i.votes}
        for i in found[:5]
    ])


@bp.route("/ideas/new", methods=["GET", "POST"])
@login_required
def new():
    form = IdeaForm()
    similar_found = []
    if form.validate_on_submit():
        try:
            idea = service.post_idea(current_user, form.title.data, form.body.data, form.tags.data)
        except ServiceError as exc:
            _form_refused(form, exc)
        else:
            flash(_("Your idea is on the board. You will hear from the company, whatever the answer."), "success")
            return redirect(_idea_url(idea.id))
    if request.method == "POST":
        title = validation.clean_text(form.title.data)[:200]
        similar_found = service.similar_ideas(title, limit=5) if title.strip() else []
    status = 422 if request.method == "POST" else 200
    return render_template("ideas/new.html", form=form, similar=similar_found), status


# One idea.

def _open_votes_left(user):
    """Return (left, limit): the member's votes still free for open ideas."""
    limit = service.ideas_settings()["open_votes"]
    if not user.is_authenticated:
        return limit, limit
    return max(limit - service.open_votes_of(user.id), 0), limit


def _idea_page(idea, status_form=None, merge_form=None, comment_form=None, code=200):
    user = current_user
    left, limit = _open_votes_left(user)
    is_staff = user.is_authenticated and user.is_staff
    return render_template(
        "ideas/idea.html", idea=idea, comments=service.comments_of(idea), events=service.timeline(idea),
        merged_into=db.session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None,
        voted=user.is_authenticated and bool(service.my_vote(user, idea)),
        following=user.is_authenticated and bool(service.follows(user, idea)),
        votes_left=left, votes_limit=limit, is_staff=is_staff,
        status_form=(status_form or StatusForm(formdata=None, status=idea.status if idea.status != "new" else None))
        .fill(IDEA_STATUSES) if is_staff else None,
        merge_form=(merge_form or MergeForm(formdata=None)) if is_staff else None,
        comment_form=comment_form or IdeaCommentForm(formdata=None),
    ), code


@bp.route("/ideas/<int:idea_id>")
def idea(idea_id):
    return _idea_page(service.get_idea(idea_id))


@bp.route("/ideas/<int:idea_id>/vote", methods=["POST"])
@login_required
def vote(idea_id):
    ActionForm()
    return one_button(service.vote, current_user, idea_id, lambda: _("Your vote is counted."), "success",
                      _idea_url(idea_id, "vote"))


@bp.route("/ideas/<int:idea_id>/unvote", methods=["POST"])
@login_required
def unvote(idea_id):
    ActionForm()
    return one_button(service.retract_vote, current_user, idea_id,
                      lambda: _("Your vote is back: you can give it to another idea."), "info", _idea_url(idea_id, "vote"))


@bp.route("/ideas/<int:idea_id>/follow", methods=["POST"])
@login_required
def follow(idea_id):
    ActionForm()
    return one_button(service.follow, current_user, idea_id,
                      lambda: _("You will be told when the company responds."), "success", _idea_url(idea_id))


@bp.route("/ideas/<int:idea_id>/unfollow", methods=["POST"])
@login_required
def unfollow(idea_id):
    ActionForm()
    return one_button(service.unfollow, current_user, idea_id,
                      lambda: _("You no longer follow this idea."), "info", _idea_url(idea_id))


@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@login_required
def comment(idea_id):
    idea = service.get_idea(idea_id)
    form = IdeaCommentForm()
    if form.validate_on_submit():
        try:
            new_comment = service.comment(current_user, idea.id, form.body.data)
        except ServiceError as exc:
            _form_refused(form, exc)
        else:
            flash(_("Your comment is posted."), "success")
            return redirect(_idea_url(idea.id, f"comment-{new_comment.id}"))
    return _idea_page(idea, comment_form=form, code=422)


@bp.route("/ideas/<int:idea_id>/status", methods=["POST"])
@login_required
def set_status(idea_id):
    require(current_user, "staff")
    idea = service.get_idea(idea_id)
    form = StatusForm().fill(IDEA_STATUSES)
    if form.validate_on_submit():
        try:
            service.set_status(current_user, idea.id, form.status.data or "", form.response.data or "")
        except ServiceError as exc:
            _form_refused(form, exc)
        else:
            flash(_("The status and your response are public; the author, voters and followers are told."), "success")
            return redirect(_idea_url(idea.id, "response"))
    db.session.expire_all()
    return _idea_page(service.get_idea(idea_id), status_form=form, code=422)


@bp.route("/ideas/<int:idea_id>/merge", methods=["POST"])
@login_required
def merge(idea_id):
    require(current_user, "staff")
    idea = service.get_idea(idea_id)
    form = MergeForm()
    if form.validate_on_submit():
        try:
            kept = service.merge(current_user, idea.id, form.kept_id.data)
        except ServiceError as exc:
            if exc.status == 404:  # the kept idea does not exist: say so next to its number
                exc = Invalid(exc.message, fields={"kept_id": exc.message})
            _form_refused(form, exc)
        else:
            flash(_("Merged: the votes and followers moved to this idea."), "success")
            return redirect(_idea_url(kept.id))
    db.session.expire_all()
    return _idea_page(service.get_idea(idea_id), merge_form=form, code=422)


# The staff page: ideas waiting for a response, and the "Ideas heard" report.

def _period():
    try:
        weeks = int(request.args.get("weeks", 12))
    except ValueError:
        weeks = 12
    return weeks if weeks in PERIODS else 12


def _staff_page(settings_form=None, code=200):
    now = utcnow()
    weeks = _period()
    this_week = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = this_week - timedelta(weeks=weeks - 1)
    heard = service.ideas_heard(start, now)
    # Every week of the period, the quiet ones too, so the lines do not skip gaps.
    found = {row["week"]: row for row in heard["weekly"]}
    empty = {s: 0 for s in IDEA_STATUSES}
    weekly = [found.get(week, {"week": week, "posted": 0, "responded": 0, "by_status": empty})
              for week in (start.date() + timedelta(weeks=n) for n in range(weeks))]
    labels = [row["week"].strftime("%d/%m") for row in weekly]
    flow_chart = line_chart(
        labels, [(_("Posted"), [row["posted"] for row in weekly]), (_("Responded"), [row["responded"] for row in weekly])],
        title=_("Ideas posted and ideas that got their first response, per week"),
    )
    names = status_labels()
    status_chart = line_chart(
        labels, [(str(names[s]), [row.get("by_status", {}).get(s, 0) for row in weekly]) for s in IDEA_STATUSES],
        title=_("Ideas by status, per week"),
    )
    waiting = db.session.scalars(service.waiting().limit(200)).all()
    delivered = heard["by_status"].get("delivered", 0)
    return render_template(
        "ideas/staff.html", weeks=weeks, periods=PERIODS, heard=heard, waiting=waiting, now=now,
        age=lambda idea: format_timedelta(now - idea.created_at, granularity="day"),
        delivered_share=(delivered / heard["ideas"]) if heard["ideas"] else None,
        flow_chart=flow_chart, status_chart=status_chart, statuses=IDEA_STATUSES,
        settings=service.ideas_settings(),
        settings_form=settings_form or (IdeasSettingsForm(formdata=None, data=service.ideas_settings())
                                        if current_user.is_admin else None),
    ), code


@bp.route("/staff/ideas")
@login_required
def staff():
    require(current_user, "staff")
    return _staff_page()


@bp.route("/staff/ideas/settings", methods=["POST"])
@login_required
def settings():
    require(current_user, "admin")
    form = IdeasSettingsForm()
    if form.validate_on_submit():
        try:
            service.save_ideas_settings(current_user, {"open_votes": form.open_votes.data,
                                                       "waiting_days": form.waiting_days.data})
        except ServiceError as exc:
            _form_refused(form, exc)
        else:
            flash(_("The ideas settings are saved."), "success")
            return redirect(url_for("ideas.staff"))
    return _staff_page(settings_form=form, code=422)
