"""Views of the Q&A pages: parse the form, call one service, render or redirect."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select

from ..auth.forms import ActionForm
from ..errors import ServiceError
from ..extensions import db, limiter
from ..forms import apply_errors, one_button, refused
from ..metrics.capture import deflection_prompt
from ..models import Answer, Question, Revision, Tag, question_tags
from ..pagecache import for_visitors
from ..pagination import page_args, paginate
from ..permissions import can
from ..queries import SORTS, STATUSES, answers_for, comments_for, my_votes, popular_tags, question_list
from ..services import accept as accept_service
from ..services import interests, posts, validation, votes
from ..text import render_markdown
from . import bp
from .forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    VoteForm,
)

# Past this many questions a list says "more than 1000" instead of counting every row
# of a big community on every view.
LIST_COUNT_LIMIT = 1000


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def answer_url(answer) -> str:
    return url_for("qa.question", question_id=answer.question_id, _anchor=f"answer-{answer.id}")


@bp.app_context_processor
def _helpers():
    return {"can": can, "answer_url": answer_url, "action_form": ActionForm}


@bp.route("/")
@bp.route("/questions")
@for_visitors()
def index():
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "active"
    # Cleaned like stored tags: control characters (NUL) must not reach the database.
    tag = validation.clean_text(request.args.get("tag")).lower()[:32] or None
    page, per_page = page_args()
    result = paginate(question_list(status, tag, sort), page, per_page, count_limit=LIST_COUNT_LIMIT,
                      count_stmt=question_list(status, tag, sort, for_count=True), key=Question.id)
    topics = _my_topics(current_user)
    fresh = []
    if topics and not (status or tag or request.args.get("sort")) and result.page == 1:
        fresh = _new_in_topics([name for name, _learned in topics], current_user.id)
    return render_template(
        "qa/index.html", page=result, status=status, sort=sort, tag=tag,
        statuses=STATUSES, sorts=SORTS, tags=popular_tags(24), topics=topics, fresh=fresh,
    )


def _my_topics(user) -> list[tuple[str, bool]]:
    """The member's topics as (tag, learned): the tags they follow, then those learned from what they do."""
    if not user.is_authenticated:
        return []
    followed = [t.name for t in user.followed_tags]
    learned = interests.learned_tags(user.id, limit=5, exclude=set(followed))
    return [(name, False) for name in followed] + [(name, True) for name, _weight in learned]


def _new_in_topics(names, viewer_id, limit=5) -> list[Question]:
    """The newest unsolved questions of others in any of these tags (one query, plus one for their tags)."""
    in_topics = select(question_tags.c.question_id).join(Tag, Tag.id == question_tags.c.tag_id).where(Tag.name.in_(names))
    return db.session.scalars(
        select(Question).where(Question.deleted_at.is_(None), Question.accepted_answer_id.is_(None),
                               Question.author_id != viewer_id, Question.id.in_(in_topics))
        .order_by(Question.created_at.desc(), Question.id.desc()).limit(limit)
    ).all()


@bp.route("/tags")
@for_visitors()
def tags():
    return render_template("qa/tags.html", tags=popular_tags(500))


@bp.route("/questions/ask", methods=["GET", "POST"])
@login_required
def ask():
    form = AskForm()
    if request.method == "GET" and request.args.get("title"):
        form.title.data = request.args.get("title", "")[:200]  # from "ask this question" on search
    if form.validate_on_submit():
        try:
            question = posts.ask_question(current_user, form.title.data, form.body.data, form.tags.data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Your question is live. You will be told when someone answers."), "success")
            return redirect(url_for("qa.question", question_id=question.id))
    return render_template("qa/ask.html", form=form)


def _visible_question(question_id) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.deleted_at is not None:
        abort(404)
    return question


# The columns a kept thread page is checked against: no body, no tags (a full load of
# the question costs as much as serving the kept page).
_PAGE_KEY = select(Question.id, Question.version, Question.deleted_at, Question.accepted_answer_id,
                   Question.author_id).where(Question.id == bindparam("question_id"))


def _thread_page_key(question_id):
    """What decides a reader's copy of a thread page: its version and the reader's prompt step."""
    question = db.session.execute(_PAGE_KEY, {"question_id": question_id}).first()
    if question is None or question.deleted_at is not None:
        return None  # the view answers 404
    return question.version, deflection_prompt(question)


@bp.route("/questions/<int:question_id>")
@for_visitors(_thread_page_key, seconds="PAGE_CACHE_SECONDS")
def question(question_id):
    question = _visible_question(question_id)
    answers = answers_for(question)
    return render_template(
        "qa/question.html",
        question=question,
        answers=answers,
        comments=comments_for(question, answers),
        my_votes=my_votes(current_user, question, answers),
        answer_form=AnswerForm(),
        comment_form=CommentForm(),
        vote_form=VoteForm(),
    )


@bp.route("/questions/<int:question_id>/answers/<int:answer_id>/fragment")
def answer_fragment(question_id, answer_id):
    """One answer as the thread shows it to this viewer (their vote, their buttons).

    The live page inserts it when `answer_posted` arrives: the event's own sanitized
    HTML shows at once, and this fragment then adds the viewer's controls.
    """
    try:
        answer = posts.get_answer(answer_id)
    except ServiceError:
        abort(404)
    if answer.question_id != question_id:
        abort(404)
    question = answer.question
    return render_template(
        "qa/_answer.html", a=answer, question=question, comments=comments_for(question, [answer]),
        my_votes=my_votes(current_user, question, [answer]),
    )


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id):
    question = _visible_question(question_id)
    if not can(current_user, "edit", question):
        abort(403)
    form = EditQuestionForm(obj=question if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = " ".join(t.name for t in question.tags)
    if form.validate_on_submit():
        try:
            posts.edit_question(
                current_user, question.id, form.title.data, form.body.data, form.tags.data, form.summary.data
            )
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Your edit is saved; the previous version is kept in the history."), "success")
            return redirect(url_for("qa.question", question_id=question_id))
    return render_template("qa/edit_question.html", form=form, question=question)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def delete_question(question_id):
    ActionForm()
    try:
        posts.delete_question(current_user, question_id)
    except ServiceError as exc:
        refused(exc)
        return redirect(url_for("qa.question", question_id=question_id))
    flash(_("The question was removed."), "info")
    return redirect(url_for("qa.index"))


@bp.route("/questions/<int:question_id>/answers", methods=["POST"])
@login_required
def answer(question_id):
    question = _visible_question(question_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            new = posts.post_answer(current_user, question.id, form.body.data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Thank you for helping!"), "success")
            return redirect(answer_url(new))
    answers = answers_for(question)
    return render_template(
        "qa/question.html",
        question=question,
        answers=answers,
        comments=comments_for(question, answers),
        my_votes=my_votes(current_user, question, answers),
        answer_form=form,
        comment_form=CommentForm(),
        vote_form=VoteForm(),
    ), 422


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_answer(answer_id):
    answer = db.session.get(Answer, answer_id)
    if answer is None or answer.deleted_at is not None:
        abort(404)
    if not can(current_user, "edit", answer):
        abort(403)
    form = EditAnswerForm(obj=answer if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            posts.edit_answer(current_user, answer.id, form.body.data, form.summary.data)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Your edit is saved; the previous version is kept in the history."), "success")
            return redirect(answer_url(answer))
    return render_template("qa/edit_answer.html", form=form, answer=answer)


@bp.route("/answers/<int:answer_id>/delete", methods=["POST"])
@login_required
def delete_answer(answer_id):
    ActionForm()
    answer = posts.get_answer(answer_id)
    question_id = answer.question_id
    try:
        posts.delete_answer(current_user, answer_id)
    except ServiceError as exc:
        refused(exc)
    else:
        flash(_("The answer was removed."), "info")
    return redirect(url_for("qa.question", question_id=question_id))


def _vote(target_type, target_id):
    form = VoteForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(error={"code": "invalid", "message": _("A vote is 1 or -1.")}), 400
        abort(400)
    try:
        score, mine = votes.cast_vote(current_user, target_type, target_id, int(form.value.data))
    except ServiceError as exc:
        if _wants_json():
            return jsonify(error={"code": exc.code, "message": exc.message}), exc.status
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        score, mine = None, None
    if _wants_json():
        return jsonify(score=score, my_vote=mine)
    if target_type == "question":
        return redirect(url_for("qa.question", question_id=target_id))
    return redirect(answer_url(posts.get_answer(target_id)))


@bp.route("/questions/<int:question_id>/vote", methods=["POST"])
@login_required
def vote_question(question_id):
    return _vote("question", question_id)


@bp.route("/answers/<int:answer_id>/vote", methods=["POST"])
@login_required
def vote_answer(answer_id):
    return _vote("answer", answer_id)


def _acceptance(answer_id, service, success_message, category):
    ActionForm()
    answer = posts.get_answer(answer_id)
    return one_button(service, current_user, answer_id, success_message, category, answer_url(answer))


@bp.route("/answers/<int:answer_id>/accept", methods=["POST"])
@login_required
def accept(answer_id):
    return _acceptance(
        answer_id, accept_service.accept_answer,
        lambda: _("Marked as the answer that solved it. Thank you for closing the loop!"), "success",
    )


@bp.route("/answers/<int:answer_id>/unaccept", methods=["POST"])
@login_required
def unaccept(answer_id):
    return _acceptance(answer_id, accept_service.unaccept_answer, lambda: _("The acceptance was withdrawn."), "info")


def _comment(question_id=None, answer_id=None):
    form = CommentForm()
    # A missing post is a 404 page, not a message on a page that does not exist.
    target_question = _visible_question(question_id).id if question_id else posts.get_answer(answer_id).question_id
    if form.validate_on_submit():
        try:
            posts.post_comment(current_user, form.body.data, question_id=question_id, answer_id=answer_id)
        except ServiceError as exc:
            flash(exc.message, "error")
    else:
        for errors in form.errors.values():
            flash(errors[0], "error")
    anchor = f"answer-{answer_id}" if answer_id else "question"
    return redirect(url_for("qa.question", question_id=target_question, _anchor=anchor))


@bp.route("/questions/<int:question_id>/comments", methods=["POST"])
@login_required
def comment_question(question_id):
    return _comment(question_id=question_id)


@bp.route("/answers/<int:answer_id>/comments", methods=["POST"])
@login_required
def comment_answer(answer_id):
    return _comment(answer_id=answer_id)


@bp.route("/questions/<int:question_id>/revisions")
def question_revisions(question_id):
    question = _visible_question(question_id)
    revisions = db.session.scalars(
        select(Revision).where(Revision.question_id == question.id).order_by(Revision.number.desc())
    ).all()
    return render_template("qa/revisions.html", question=question, revisions=revisions, answer=None)


@bp.route("/answers/<int:answer_id>/revisions")
def answer_revisions(answer_id):
    answer = posts.get_answer(answer_id)
    revisions = db.session.scalars(
        select(Revision).where(Revision.answer_id == answer.id).order_by(Revision.number.desc())
    ).all()
    return render_template("qa/revisions.html", question=answer.question, revisions=revisions, answer=answer)


def _preview_limit():
    # The editor asks after each pause in typing (300 ms): a fast writer stays well under
    # this; a script feeding worst-case Markdown (about 0.4 s of CPU each) does not.
    return current_app.config["PREVIEW_RATE_LIMIT"]


@bp.route("/preview", methods=["POST"])
@limiter.limit(_preview_limit)
def preview():
    """Render Markdown exactly as it will be stored, for the live preview."""
    data = request.get_json(silent=True)
    text = data.get("body") if isinstance(data, dict) and isinstance(data.get("body"), str) else ""
    return jsonify(html=render_markdown(text[:30000]))
