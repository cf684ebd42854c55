"""Staff pages: the escalation queue and detail, webhook deliveries, CSAT, the support settings.

Also the support actions of the question page ("I still need help", staff notes,
verification, the satisfaction survey): their routes live here, and the question
template reads what it needs through the `support_panel` context processor.
"""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import webhooks
from ..auth.forms import ActionForm
from ..charts import line_chart
from ..errors import Conflict, Invalid, ServiceError
from ..extensions import db
from ..forms import apply_errors, one_button, refused
from ..models import CsatResponse, Escalation, Question, Tag, question_tags
from ..models.base import utcnow
from ..models.staff import ESCALATION_STATUSES
from ..pagination import page_args, paginate
from ..permissions import can, require
from ..ranks import rank_for
from ..security import is_safe_next
from ..services import csat, escalations, official, posts, validation
from ..services.accounts import preferences_of
from ..services.interests import learned_tags
from ..sla import ladder_settings, save_ladder_settings
from . import bp
from .forms import (
    AssignForm,
    CsatForm,
    EscalateForm,
    LadderForm,
    NoteForm,
    ResolveForm,
    WebhookForm,
    resolution_labels,
)

AGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}
CSAT_PERIODS = (4, 12, 26)
DELIVERY_STATUSES = ("pending", "delivered", "failed")


def _form_refused(form, exc) -> None:
    """Show a refusal next to the fields it names (403 and 404 still get their pages)."""
    if not isinstance(exc, (Conflict, Invalid)):
        raise exc
    apply_errors(form, exc)


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return _("Something in the form was not right.")


def sla_text(escalation, now=None) -> str:
    """Say how the SLA stands: "due in 3 hours", "overdue by 20 minutes", "resolved late"."""
    now = now or utcnow()
    if escalation.resolved_at is not None:
        return _("resolved late") if escalation.breached(now) else _("resolved in time")
    delta = escalation.sla_due_at - now
    if delta.total_seconds() >= 0:
        return _("due in %(time)s", time=format_timedelta(delta, granularity="minute"))
    return _("overdue by %(time)s", time=format_timedelta(-delta, granularity="minute"))


def source_text(escalation) -> str:
    """Say who sent the thread to staff."""
    if escalation.source == "asker":
        return _("Asked by the customer")
    if escalation.source == "staff":
        name = escalation.created_by.shown_name if escalation.created_by else _("staff")
        return _("Escalated by %(name)s", name=name)
    return _("Automatic after %(n)d hours unsolved", n=ladder_settings()["escalate_hours"])


@bp.app_context_processor
def _staff_helpers():
    return {"support_panel": support_panel}


def support_panel(question) -> dict:
    """What the question page shows about support: the escalation, notes, the survey."""
    user = current_user
    is_staff = user.is_authenticated and user.is_staff
    is_asker = user.is_authenticated and user.id == question.author_id
    escalation = escalations.open_escalation(question.id)
    return {
        "escalation": escalation,
        "is_staff": is_staff,
        "is_asker": is_asker,
        # The reason is between the customer and staff; everyone else sees the badge only.
        "show_reason": is_staff or is_asker,
        "can_escalate": escalation is None and can(user, "escalate", question)
        and (is_staff or not question.accepted_answer_id),
        "notes": escalations.notes_for(question.id) if can(user, "see_staff_notes") else [],
        "csat": csat.pending_subject(user, question),
        "escalate_form": EscalateForm(formdata=None),
        "note_form": NoteForm(formdata=None),
        "csat_form": CsatForm(formdata=None),
    }


def _question_url(question_id, anchor=None):
    return url_for("qa.question", question_id=question_id, _anchor=anchor)


# The question page's support actions.

@bp.route("/questions/<int:question_id>/escalate", methods=["POST"])
@login_required
def escalate(question_id):
    form = EscalateForm()
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return redirect(_question_url(question_id, "support"))
    try:
        escalation = escalations.escalate(current_user, question_id, form.reason.data or "")
    except ServiceError as exc:
        refused(exc)
        return redirect(_question_url(question_id, "support"))
    if escalation.source == "asker":
        flash(_("Our support team has your question; we aim to answer by %(due)s.",
                due=format_datetime(escalation.sla_due_at, "short")), "success")
    else:
        flash(_("The question is now in the staff queue."), "success")
    return redirect(_question_url(question_id, "support"))


@bp.route("/questions/<int:question_id>/notes", methods=["POST"])
@login_required
def question_note(question_id):
    require(current_user, "see_staff_notes")
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
    else:
        try:
            escalations.add_note(current_user, question_id, form.body.data)
        except ServiceError as exc:
            refused(exc)
        else:
            flash(_("Your note is saved; only staff can read it."), "success")
    return redirect(_question_url(question_id, "staff-notes"))


def _verification(answer_id, service, message):
    ActionForm()
    answer = posts.get_answer(answer_id)
    return one_button(service, current_user, answer_id, message, "success",
                      _question_url(answer.question_id, f"answer-{answer.id}"))


@bp.route("/answers/<int:answer_id>/verify", methods=["POST"])
@login_required
def verify(answer_id):
    require(current_user, "staff")
    return _verification(answer_id, official.verify_answer,
                         lambda: _("Verified by support: its author earns the verification points."))


@bp.route("/answers/<int:answer_id>/unverify", methods=["POST"])
@login_required
def unverify(answer_id):
    require(current_user, "staff")
    return _verification(answer_id, official.unverify_answer, lambda: _("The verification was withdrawn."))


@bp.route("/questions/<int:question_id>/csat", methods=["POST"])
@login_required
def rate(question_id):
    form = CsatForm()
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return redirect(_question_url(question_id, "csat"))
    try:
        csat.record(current_user, question_id, form.score.data, form.comment.data or None)
    except ServiceError as exc:
        refused(exc)
        return redirect(_question_url(question_id, "csat"))
    flash(_("Thank you for telling us how it went!"), "success")
    return redirect(_question_url(question_id))


# The escalation queue.

def _queue_filters():
    args = request.args
    status = args.get("status") if args.get("status") in ESCALATION_STATUSES else "active"
    tag = validation.clean_text(args.get("tag")).lower()[:32] or None
    age = args.get("age") if args.get("age") in AGES else None
    return {"status": status, "mine": args.get("mine") == "1", "tag": tag, "age": age}


def _queue_select(filters, now):
    """Select the escalations that pass the filters, in any status."""
    stmt = select(Escalation).join(Question, Question.id == Escalation.question_id).where(Question.deleted_at.is_(None))
    if filters["mine"]:
        stmt = stmt.where(Escalation.assignee_id == current_user.id)
    if filters["tag"]:
        stmt = stmt.where(Question.id.in_(
            select(question_tags.c.question_id).join(Tag, Tag.id == question_tags.c.tag_id).where(Tag.name == filters["tag"])
        ))
    if filters["age"]:
        stmt = stmt.where(Escalation.created_at <= now - AGES[filters["age"]])
    return stmt


@bp.route("/staff/escalations")
@login_required
def queue():
    """Escalations by status, most urgent first; resolved ones newest first."""
    require(current_user, "staff")
    now = utcnow()
    filters = _queue_filters()
    base = _queue_select(filters, now)
    counts = _status_counts(base)
    if filters["status"] == "resolved":
        stmt = base.where(Escalation.status == "resolved").order_by(Escalation.resolved_at.desc(), Escalation.id.desc())
    elif filters["status"] == "active":
        stmt = base.where(Escalation.status != "resolved").order_by(Escalation.sla_due_at, Escalation.id)
    else:
        stmt = base.where(Escalation.status == filters["status"]).order_by(Escalation.sla_due_at, Escalation.id)
    page, per_page = page_args()
    tags = db.session.scalars(select(Tag.name).order_by(Tag.name).limit(300)).all()
    return render_template(
        "staff/queue.html", page=paginate(stmt, page, per_page), filters=filters, counts=counts, now=now,
        ages=AGES, tags=tags, sla_text=sla_text, source_text=source_text,
    )


def _status_counts(base) -> dict:
    """Count the filtered escalations per status (the tabs' numbers)."""
    rows = db.session.execute(base.with_only_columns(Escalation.status, func.count()).group_by(Escalation.status)).all()
    counts = {status: 0 for status in ESCALATION_STATUSES}
    counts.update(dict(rows))
    counts["active"] = counts["open"] + counts["assigned"]
    return counts


# One escalation.

def _customer_glance(user, escalation) -> dict:
    """The asker at a glance: how to reach them, what they care about, their history."""
    prefs = preferences_of(user)
    asked, solved = db.session.execute(
        select(func.count(), func.count(Question.accepted_answer_id))
        .where(Question.author_id == user.id, Question.deleted_at.is_(None))
    ).one()
    previous = db.session.scalars(
        select(Escalation).join(Question, Question.id == Escalation.question_id)
        .where(Question.author_id == user.id, Escalation.id != escalation.id, Question.deleted_at.is_(None))
        .order_by(Escalation.created_at.desc()).limit(10)
    ).all()
    ratings, average = db.session.execute(
        select(func.count(CsatResponse.id), func.avg(CsatResponse.score)).where(CsatResponse.user_id == user.id)
    ).one()
    return {
        "user": user, "channel": prefs["contact_channel"], "locale": prefs["locale"],
        "phone": user.phone if prefs["contact_channel"] == "sms" else None,
        "followed": prefs["followed_tags"],
        "learned": [name for name, _weight in learned_tags(user.id, 5, exclude=prefs["followed_tags"])],
        "rank": rank_for(user.points), "asked": asked, "solved": solved, "previous": previous,
        "ratings": ratings, "average": round(float(average), 1) if ratings else None,
    }


def _detail_page(escalation, note_form=None, status=200):
    """Render one escalation; the resolve form starts from the likeliest resolution."""
    question = escalation.question
    return render_template(
        "staff/escalation.html", escalation=escalation, question=question, now=utcnow(),
        assign_form=AssignForm(formdata=None, assignee_id=escalation.assignee_id).fill(escalations.staff_members()),
        note_form=note_form or NoteForm(formdata=None),
        resolve_form=ResolveForm(formdata=None, resolution=escalations.infer_resolution(question)),
        notes=escalations.notes_for(question.id), events=escalations.timeline(escalation.id),
        customer=_customer_glance(question.author, escalation), resolutions=resolution_labels(),
        sla_text=sla_text, source_text=source_text,
    ), status


@bp.route("/staff/escalations/<int:escalation_id>")
@login_required
def escalation(escalation_id):
    require(current_user, "staff")
    return _detail_page(escalations.get_escalation(escalation_id))


def _back_to(escalation_id):
    return redirect(url_for("staff.escalation", escalation_id=escalation_id))


@bp.route("/staff/escalations/<int:escalation_id>/take", methods=["POST"])
@login_required
def take(escalation_id):
    require(current_user, "staff")
    ActionForm()
    try:
        escalations.take(current_user, escalation_id)
    except ServiceError as exc:
        refused(exc)
    else:
        flash(_("It is yours now: the customer sees that you are on it."), "success")
    target = request.form.get("next")
    return redirect(target) if is_safe_next(target) else _back_to(escalation_id)


@bp.route("/staff/escalations/<int:escalation_id>/assign", methods=["POST"])
@login_required
def assign(escalation_id):
    require(current_user, "staff")
    form = AssignForm()
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return _back_to(escalation_id)
    try:
        # 0 is never a staff member: the service answers with its own message.
        escalations.update_escalation(current_user, escalation_id, assignee_id=form.assignee_id.data or 0)
    except ServiceError as exc:
        refused(exc)
    else:
        flash(_("The escalation has a new owner."), "success")
    return _back_to(escalation_id)


@bp.route("/staff/escalations/<int:escalation_id>/notes", methods=["POST"])
@login_required
def note(escalation_id):
    require(current_user, "staff")
    escalation = escalations.get_escalation(escalation_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            escalations.update_escalation(current_user, escalation.id, note=form.body.data)
        except ServiceError as exc:
            _form_refused(form, exc)
        else:
            flash(_("Your note is saved; only staff can read it."), "success")
            return _back_to(escalation.id)
    return _detail_page(escalation, note_form=form, status=422)


@bp.route("/staff/escalations/<int:escalation_id>/resolve", methods=["POST"])
@login_required
def resolve(escalation_id):
    require(current_user, "staff")
    escalations.get_escalation(escalation_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_first_error(form), "error")
        return _back_to(escalation_id)
    try:
        escalations.resolve(current_user, escalation_id, form.resolution.data, note=form.note.data or None)
    except ServiceError as exc:
        refused(exc)
    else:
        flash(_("Resolved. The customer is asked how satisfied they are."), "success")
    return _back_to(escalation_id)


# The helpdesk webhook's deliveries.

@bp.route("/staff/webhooks")
@login_required
def deliveries():
    require(current_user, "staff")
    status = request.args.get("status") if request.args.get("status") in DELIVERY_STATUSES else None
    return render_template(
        "staff/webhooks.html", deliveries=webhooks.recent_deliveries(status), status=status,
        statuses=DELIVERY_STATUSES, url=webhooks.webhook_settings()["url"],
    )


@bp.route("/staff/webhooks/<int:delivery_id>/redeliver", methods=["POST"])
@login_required
def redeliver(delivery_id):
    require(current_user, "staff")
    ActionForm()
    try:
        webhooks.redeliver(current_user, delivery_id)
    except ServiceError as exc:
        refused(exc)
    else:
        flash(_("Sent again; the attempt is logged below."), "success")
    return redirect(url_for("staff.deliveries"))


# Customer satisfaction.

@bp.route("/staff/csat")
@login_required
def satisfaction():
    """CSAT per week, per tag and per staff member, so incentives follow satisfaction."""
    require(current_user, "staff")
    try:
        weeks = int(request.args.get("weeks", 12))
    except ValueError:
        weeks = 12
    weeks = weeks if weeks in CSAT_PERIODS else 12
    now = utcnow()
    this_week = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = this_week - timedelta(weeks=weeks - 1)
    trend = csat.weekly_trend(start, weeks)
    labels = [row["week"].strftime("%d/%m") for row in trend]
    average_chart = line_chart(labels, [(_("Average score"), [row["average"] for row in trend])],
                               title=_("Average score (1-5) per week"), y_max=5)
    satisfied_chart = line_chart(labels, [(_("Satisfied (4-5)"), [row["satisfied"] for row in trend])],
                                 title=_("Share of 4 and 5 ratings per week"), percent=True, y_max=1.0)
    return render_template(
        "staff/csat.html", weeks=weeks, periods=CSAT_PERIODS, trend=trend, overall=csat.overall(start, now),
        by_tag=csat.by_tag(start, now), by_staff=csat.by_staff(start, now),
        average_chart=average_chart, satisfied_chart=satisfied_chart,
    )


# The administrator's support settings.

@bp.route("/admin/support", methods=["GET", "POST"])
@login_required
def admin_settings():
    require(current_user, "admin")
    section = request.form.get("section") if request.method == "POST" else None
    ladder_form = LadderForm() if section == "ladder" else LadderForm(formdata=None, data=ladder_settings())
    webhook_form = WebhookForm() if section == "webhook" else WebhookForm(formdata=None, url=webhooks.webhook_settings()["url"])
    status = 200
    if section == "ladder" and ladder_form.validate_on_submit():
        try:
            save_ladder_settings(current_user, {key: ladder_form[key].data for key in ladder_settings()})
        except ServiceError as exc:
            _form_refused(ladder_form, exc)
        else:
            flash(_("The ladder times are saved."), "success")
            return redirect(url_for("staff.admin_settings"))
    elif section == "webhook" and webhook_form.validate_on_submit():
        try:
            webhooks.save_webhook_settings(current_user, webhook_form.url.data, webhook_form.secret.data)
        except ServiceError as exc:
            _form_refused(webhook_form, exc)
        else:
            flash(_("The webhook settings are saved."), "success")
            return redirect(url_for("staff.admin_settings"))
    if section in ("ladder", "webhook"):
        status = 422
    elif request.method == "POST":
        abort(400)
    return render_template("staff/admin.html", ladder_form=ladder_form, webhook_form=webhook_form,
                           has_secret=bool(webhooks.webhook_settings()["secret"])), status
