"""Views of profiles and settings."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..errors import ServiceError
from ..extensions import db
from ..forms import apply_errors
from ..models import Answer, Question, User
from ..services import accounts
from . import bp
from .forms import SettingsForm


def user_stats(user_id: int) -> dict:
    """Return how many questions, answers and accepted answers a member wrote."""
    questions = db.session.scalar(
        select(func.count()).where(Question.author_id == user_id, Question.deleted_at.is_(None))
    )
    answers, accepted = db.session.execute(
        select(func.count(), func.count(Answer.accepted_at)).where(
            Answer.author_id == user_id, Answer.deleted_at.is_(None)
        )
    ).one()
    return {"questions": questions, "answers": answers, "accepted_answers": accepted}


@bp.route("/users/<int:user_id>")
def profile(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    recent_questions = db.session.scalars(
        select(Question).where(Question.author_id == user.id, Question.deleted_at.is_(None))
        .order_by(Question.created_at.desc()).limit(10)
    ).all()
    recent_answers = db.session.scalars(
        select(Answer).where(Answer.author_id == user.id, Answer.deleted_at.is_(None))
        .order_by(Answer.accepted_at.is_(None), Answer.created_at.desc()).limit(10)
    ).all()
    return render_template(
        "users/profile.html", user=user, stats=user_stats(user.id),
        recent_questions=recent_questions, recent_answers=recent_answers,
    )


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if not form.is_submitted():
        form.locale.data = current_user.locale or "it"
        form.followed_tags.data = " ".join(t.name for t in current_user.followed_tags)
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
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("users.settings"))
    return render_template("users/settings.html", form=form)
