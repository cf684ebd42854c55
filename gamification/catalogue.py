"""The badge catalogue: 27 badges, each a small rule over the facts in the database."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, func, select

from support.extensions import db
from support.models import Answer, Comment, Idea, Question, Revision, Tag, User, Vote, question_tags
from support.models.base import utcnow

from .badges import badge, memoized

LIVE_ANSWER = (Answer.deleted_at.is_(None),)


def _count(stmt, up_to=None) -> int:
    """Count a query's rows, stopping at `up_to` when given (the highest threshold a badge asks for)."""
    if up_to is not None:
        stmt = stmt.limit(up_to)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def _bounded_count(stmt, up_to):
    """Build, once, a count of a query's rows that stops at `up_to` (the highest threshold
    a badge asks for): a prolific member's thousands of rows are never all counted, and
    the facts every vote asks for skip building their statement each time."""
    return select(func.count()).select_from(stmt.limit(up_to).subquery())


_answers, _votes = Answer.__table__, Vote.__table__
_live_answers_of = select(_answers.c.id).where(_answers.c.author_id == bindparam("user_id"), _answers.c.deleted_at.is_(None))
_ANSWER_COUNT = _bounded_count(_live_answers_of, 200)
_ACCEPTED_COUNT = _bounded_count(_live_answers_of.where(_answers.c.accepted_at.is_not(None)), 150)
_VOTES_CAST = _bounded_count(select(_votes.c.id).where(_votes.c.voter_id == bindparam("user_id")), 300)


@memoized
def accepted_of(user_id) -> int:
    return db.session.scalar(_ACCEPTED_COUNT, {"user_id": user_id})


@memoized
def best_answer_score(user_id) -> int:
    return db.session.scalar(select(func.max(Answer.score)).where(Answer.author_id == user_id, *LIVE_ANSWER)) or 0


@memoized
def answer_streak(user_id) -> int:
    """Return how many consecutive UTC days, up to the latest, the member answered on."""
    since = utcnow() - timedelta(days=40)
    days = sorted(
        {ts.date() for ts in db.session.scalars(
            select(Answer.created_at).where(Answer.author_id == user_id, Answer.created_at >= since, *LIVE_ANSWER))},
        reverse=True,
    )
    streak = 0
    for index, day in enumerate(days):
        if day != days[0] - timedelta(days=index):
            break
        streak += 1
    return streak


@memoized
def answer_count(user_id) -> int:
    return db.session.scalar(_ANSWER_COUNT, {"user_id": user_id})


def _tag_stats_statement():
    tags = Tag.__table__
    helpful = func.sum(case(((_answers.c.score >= 1) | _answers.c.accepted_at.is_not(None), 1), else_=0))
    return (
        select(tags.c.id, tags.c.name, func.count(_answers.c.id), func.coalesce(func.sum(_answers.c.score), 0), helpful)
        .join(question_tags, question_tags.c.tag_id == tags.c.id)
        .join(_answers, _answers.c.question_id == question_tags.c.question_id)
        .where(_answers.c.author_id == bindparam("user_id"), _answers.c.deleted_at.is_(None))
        .group_by(tags.c.id, tags.c.name)
    )


_TAG_STATS = _tag_stats_statement()
_TAG_STATS_IN = _TAG_STATS.where(question_tags.c.tag_id.in_(bindparam("tag_ids", expanding=True)))


@memoized
def tag_stats(user_id, tag_ids=None):
    """Return (tag id, tag name, answers, score, helpful answers) for the member's tags.

    `tag_ids` limits it to the tags of the thread an event happened in: the only tags
    whose numbers that event can change.
    """
    if tag_ids is None:
        return db.session.execute(_TAG_STATS, {"user_id": user_id}).all()
    return db.session.execute(_TAG_STATS_IN, {"user_id": user_id, "tag_ids": list(tag_ids)}).all()


def _event_tags(ctx):
    """The tags an event's thread carries (None when a rebuild checks everything)."""
    tags = ctx.get("tag_ids")
    return tuple(tags) if tags is not None else None


def _may_have_answers(user_id, ctx, n) -> bool:
    """A cheap test before the per-tag query over all of a member's tags. A query limited
    to an event's few tags costs no more than the test, so it runs without it."""
    return _event_tags(ctx) is not None or answer_count(user_id) >= n


def _post_score(kind, user_id, ctx) -> int:
    """The score a score badge compares: after a vote only the voted post's score moved,
    so it is the one to look at; otherwise (a rebuild) the member's best post."""
    if "score" in ctx:
        return ctx["score"] if ctx.get("target_type") == kind else 0
    return best_answer_score(user_id) if kind == "answer" else best_question_score(user_id)


# Bronze -------------------------------------------------------------------------------

@badge("curious", "bronze", _l("Curious"), _l("Asked a first question."), on={"question_asked"})
def _curious(user_id, ctx):
    return _count(select(Question.id).where(Question.author_id == user_id, Question.deleted_at.is_(None))) >= 1


@badge("first-answer", "bronze", _l("First answer"), _l("Answered a first question."), on={"answer_posted"})
def _first_answer(user_id, ctx):
    return answer_count(user_id) >= 1


@badge("solver", "bronze", _l("Solver"), _l("A first answer accepted as the solution."), on={"answer_accepted"})
def _solver(user_id, ctx):
    return accepted_of(user_id) >= 1


@badge("supporter", "bronze", _l("Supporter"), _l("Gave a first upvote."), on={"vote_given"})
def _supporter(user_id, ctx):
    return ctx.get("value") == 1 or _count(select(Vote.id).where(Vote.voter_id == user_id, Vote.value == 1), up_to=1) >= 1


@badge("scholar", "bronze", _l("Scholar"), _l("Accepted an answer to your own question."), on={"accepted_own"})
def _scholar(user_id, ctx):
    if ctx.get("accepted_for_own_question"):  # the event itself is such an acceptance
        return True
    return _count(
        select(Question.id).join(Answer, Answer.id == Question.accepted_answer_id)
        .where(Question.author_id == user_id, Answer.author_id != user_id), up_to=1
    ) >= 1


@badge("nice-answer", "bronze", _l("Nice answer"), _l("An answer with a score of 1 or more."), on={"vote_received"})
def _nice_answer(user_id, ctx):
    return _post_score("answer", user_id, ctx) >= 1


@badge("nice-question", "bronze", _l("Nice question"), _l("A question with a score of 1 or more."), on={"vote_received"})
def _nice_question(user_id, ctx):
    return _post_score("question", user_id, ctx) >= 1


@badge("welcome", "bronze", _l("Welcoming"), _l("Wrote the first answer to a newcomer's first question."), on={"answer_posted"})
def _welcome(user_id, ctx):
    question_id = ctx.get("question_id")
    if not question_id:
        return False
    question = db.session.get(Question, question_id)
    first_of_author = db.session.scalar(
        select(func.min(Question.id)).where(Question.author_id == question.author_id)
    )
    first_answer = db.session.scalar(select(func.min(Answer.id)).where(Answer.question_id == question.id))
    return (
        question.author_id != user_id
        and first_of_author == question.id
        and first_answer == ctx.get("answer_id")
    )


@badge("quick-draw", "bronze", _l("Quick draw"), _l("Answered within 10 minutes, and the answer was accepted."), on={"answer_accepted"})
def _quick_draw(user_id, ctx):
    answer = db.session.get(Answer, ctx.get("answer_id")) if ctx.get("answer_id") else None
    return bool(answer) and answer.created_at - answer.question.created_at <= timedelta(minutes=10)


@memoized
def votes_cast(user_id) -> int:
    return db.session.scalar(_VOTES_CAST, {"user_id": user_id})


@memoized
def best_question_score(user_id) -> int:
    return db.session.scalar(select(func.max(Question.score)).where(Question.author_id == user_id)) or 0


@badge("voter", "bronze", _l("Voter"), _l("Cast 10 votes."), on={"vote_given"})
def _voter(user_id, ctx):
    return votes_cast(user_id) >= 10


@badge("autobiographer", "bronze", _l("Autobiographer"), _l("Completed your profile: name, bio and followed tags."), on={"profile_updated"})
def _autobiographer(user_id, ctx):
    user = db.session.get(User, user_id)
    return bool(user.display_name and user.bio and user.followed_tags)


@badge("commentator", "bronze", _l("Commentator"), _l("Left 10 comments."), on={"comment_posted"})
def _commentator(user_id, ctx):
    return _count(select(Comment.id).where(Comment.author_id == user_id, Comment.deleted_at.is_(None))) >= 10


@badge("editor", "bronze", _l("Editor"), _l("Improved a post with a first edit."), on={"post_edited"})
def _editor(user_id, ctx):
    return _count(select(Revision.id).where(Revision.editor_id == user_id, Revision.number > 1)) >= 1


# Silver -------------------------------------------------------------------------------

@badge("problem-solver", "silver", _l("Problem solver"), _l("10 accepted answers."), on={"answer_accepted"})
def _problem_solver(user_id, ctx):
    return accepted_of(user_id) >= 10


@badge("good-answer", "silver", _l("Good answer"), _l("An answer with a score of 10 or more."), on={"vote_received"})
def _good_answer(user_id, ctx):
    return _post_score("answer", user_id, ctx) >= 10


@badge("good-question", "silver", _l("Good question"), _l("A question with a score of 10 or more."), on={"vote_received"})
def _good_question(user_id, ctx):
    return _post_score("question", user_id, ctx) >= 10


@badge("week-streak", "silver", _l("Regular"), _l("Answered on 7 consecutive days."), on={"answer_posted"})
def _week_streak(user_id, ctx):
    return answer_streak(user_id) >= 7


@badge("tag-specialist", "silver", _l("Specialist"), _l("25 helpful answers in one tag."), on={"vote_received", "answer_accepted"})
def _tag_specialist(user_id, ctx):
    return _may_have_answers(user_id, ctx, 25) and any(row[4] >= 25 for row in tag_stats(user_id, _event_tags(ctx)))


@badge("civic-duty", "silver", _l("Civic duty"), _l("Cast 300 votes."), on={"vote_given"})
def _civic_duty(user_id, ctx):
    return votes_cast(user_id) >= 300


# Gold ---------------------------------------------------------------------------------

@badge("expert-solver", "gold", _l("Expert solver"), _l("50 accepted answers."), on={"answer_accepted"})
def _expert_solver(user_id, ctx):
    return accepted_of(user_id) >= 50


@badge("guru", "gold", _l("Guru"), _l("150 accepted answers."), on={"answer_accepted"})
def _guru(user_id, ctx):
    return accepted_of(user_id) >= 150


@badge("great-answer", "gold", _l("Great answer"), _l("An answer with a score of 25 or more."), on={"vote_received"})
def _great_answer(user_id, ctx):
    return _post_score("answer", user_id, ctx) >= 25


@badge("month-streak", "gold", _l("Devoted"), _l("Answered on 30 consecutive days."), on={"answer_posted"})
def _month_streak(user_id, ctx):
    return answer_streak(user_id) >= 30


@badge("fastest-month", "gold", _l("Fastest of the month"),
       _l("The fastest median time to a first answer in a month, among members with 20 or more answers."),
       on={"monthly"})
def _fastest_month(user_id, ctx):
    return ctx.get("fastest_user_id") == user_id


# Tag badges (bronze, silver, gold per tag) --------------------------------------------

def _tag_rule(min_score, min_answers):
    def check(user_id, ctx):
        if not _may_have_answers(user_id, ctx, min_answers):
            return []
        return [(tag_id, name) for tag_id, name, answers, score, _helpful in tag_stats(user_id, _event_tags(ctx))
                if answers >= min_answers and score >= min_score]
    return check


badge("tag-bronze", "bronze", _l("Tag bronze"), _l("Tag score 100 with 20 answers in the tag."),
      on={"vote_received", "answer_posted"}, per_tag=True)(_tag_rule(100, 20))
badge("tag-silver", "silver", _l("Tag silver"), _l("Tag score 400 with 80 answers in the tag."),
      on={"vote_received", "answer_posted"}, per_tag=True)(_tag_rule(400, 80))
badge("tag-gold", "gold", _l("Tag gold"), _l("Tag score 1,000 with 200 answers in the tag."),
      on={"vote_received", "answer_posted"}, per_tag=True)(_tag_rule(1000, 200))


# Ideas board ---------------------------------------------------------------------------

@badge("idea-delivered", "silver", _l("Idea delivered"),
       _l("The company delivered an idea you proposed."), on={"idea_delivered"})
def _idea_delivered(user_id, ctx):
    return _count(select(Idea.id).where(
        Idea.author_id == user_id, Idea.status == "delivered", Idea.deleted_at.is_(None))) >= 1
