"""Views of profiles, settings and the member's notifications."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _, ngettext, refresh
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import notify
from ..auth.forms import ActionForm
from ..errors import ServiceError
from ..extensions import db
from ..forms import apply_errors
from ..models import Answer, Question, User
from ..pagecache import for_visitors
from ..queries import user_stats
from ..services import accounts
from . import bp
from .forms import SettingsForm


@bp.route("/users/<int:user_id>")
@for_visitors()
def profile(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    recent_questions = db.session.scalars(
        select(Question).where(Question.author_id == user.id, Question.deleted_at.is_(None))
        .order_by(Question.created_at.desc()).limit(10)
    ).all()
    recent_answers = _recent_answers(user.id)
    return render_template(
        "users/profile.html", user=user, stats=user_stats(user.id),
        recent_questions=recent_questions, recent_answers=recent_answers,
    )


def _recent_answers(user_id: int, limit: int = 10) -> list[Answer]:
    """A member's accepted answers newest first, then their other answers newest first.

    Two reads along the (author, date) index, each stopping at `limit`: one ORDER BY
    "accepted first" would sort every answer a prolific member ever wrote.
    """
    def newest(accepted, n):
        return db.session.scalars(
            select(Answer).options(joinedload(Answer.question).lazyload("*"))
            .where(Answer.author_id == user_id, Answer.deleted_at.is_(None),
                   Answer.accepted_at.is_not(None) if accepted else Answer.accepted_at.is_(None))
            .order_by(Answer.created_at.desc(), Answer.id.desc()).limit(n)
        ).all()

    answers = newest(True, limit)
    return answers + (newest(False, limit - len(answers)) if len(answers) < limit else [])


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    # Plain values, not obj=current_user: a field missing from a POST then keeps its
    # saved text, never the Tag objects of the relationship.
    form = SettingsForm(
        display_name=current_user.display_name, bio=current_user.bio, phone=current_user.phone,
        locale=current_user.locale or "it", contact_channel=current_user.contact_channel,
        followed_tags=" ".join(t.name for t in current_user.followed_tags),
    )
    if form.validate_on_submit():
        try:
            accounts.update_settings(
                current_user.id, display_name=form.display_name.data, bio=form.bio.data,
                contact_channel=form.contact_channel.data, locale=form.locale.data,
                followed_tags=form.followed_tags.data, phone=form.phone.data or "",
            )
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            refresh()  # a new language applies from this message on (i18n.pin_locale)
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("users.settings"))
    return render_template("users/settings.html", form=form)


@bp.app_context_processor
def _notification_helpers():
    # A function, not a number: the one COUNT query runs only where the nav shows it.
    def unread_notifications() -> int:
        return notify.unread_count(current_user.id) if current_user.is_authenticated else 0

    return {"unread_notifications": unread_notifications}


def _local_url(url: str) -> str:
    """Link only to pages of this site (notification URLs are paths the server built)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else url_for("qa.index")


@bp.route("/notifications")
@login_required
def notifications():
    """The member's latest notifications, newest first; opening the page marks nothing read."""
    locale = current_user.locale or str(get_locale())
    items = [{"note": note, "text": notify.render(note, locale), "url": _local_url(note.url)}
             for note in notify.recent(current_user.id, 50)]
    unread = notify.unread_count(current_user.id)
    return render_template("users/notifications.html", items=items, unread=unread, form=ActionForm())


@bp.route("/notifications/read", methods=["POST"])
@login_required
def notifications_read():
    """Mark all the member's notifications read (the form carries a CSRF token)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    marked = notify.mark_read(current_user.id)
    if marked:
        flash(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", marked), "success")
    return redirect(url_for("users.notifications"))
