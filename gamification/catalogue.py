"""The badge catalogue: 27 badges, each a small rule over the facts in the database."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from support.extensions import db
from support.models import Answer, Comment, Idea, Question, Revision, Tag, User, Vote, question_tags
from support.models.base import utcnow

from .badges import badge, memoized

LIVE_ANSWER = (Answer.deleted_at.is_(None),)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def answers_of(user_id):
    return select(Answer.id).where(Answer.author_id == user_id, *LIVE_ANSWER)


@memoized
def accepted_of(user_id) -> int:
    return _count(answers_of(user_id).where(Answer.accepted_at.is_not(None)))


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
    return _count(answers_of(user_id))


@memoized
def tag_stats(user_id):
    """Return (tag id, tag name, answers, score, helpful answers) for the member's tags."""
    helpful = func.sum(case(((Answer.score >= 1) | Answer.accepted_at.is_not(None), 1), else_=0))
    return db.session.execute(
        select(Tag.id, Tag.name, func.count(Answer.id), func.coalesce(func.sum(Answer.score), 0), helpful)
        .join(question_tags, question_tags.c.tag_id == Tag.id)
        .join(Answer, Answer.question_id == question_tags.c.question_id)
        .where(Answer.author_id == user_id, *LIVE_ANSWER)
        .group_by(Tag.id, Tag.name)
    ).all()


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
    return _count(select(Vote.id).where(Vote.voter_id == user_id, Vote.value == 1)) >= 1


@badge("scholar", "bronze", _l("Scholar"), _l("Accepted an answer to your own question."), on={"accepted_own"})
def _scholar(user_id, ctx):
    return _count(
        select(Question.id).join(Answer, Answer.id == Question.accepted_answer_id)
        .where(Question.author_id == user_id, Answer.author_id != user_id)
    ) >= 1


@badge("nice-answer", "bronze", _l("Nice answer"), _l("An answer with a score of 1 or more."), on={"vote_received"})
def _nice_answer(user_id, ctx):
    return best_answer_score(user_id) >= 1


@badge("nice-question", "bronze", _l("Nice question"), _l("A question with a score of 1 or more."), on={"vote_received"})
def _nice_question(user_id, ctx):
    return best_question_score(user_id) >= 1


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
    return _count(select(Vote.id).where(Vote.voter_id == user_id))


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
    return best_answer_score(user_id) >= 10


@badge("good-question", "silver", _l("Good question"), _l("A question with a score of 10 or more."), on={"vote_received"})
def _good_question(user_id, ctx):
    return best_question_score(user_id) >= 10


@badge("week-streak", "silver", _l("Regular"), _l("Answered on 7 consecutive days."), on={"answer_posted"})
def _week_streak(user_id, ctx):
    return answer_streak(user_id) >= 7


@badge("tag-specialist", "silver", _l("Specialist"), _l("25 helpful answers in one tag."), on={"vote_received", "answer_accepted"})
def _tag_specialist(user_id, ctx):
    return answer_count(user_id) >= 25 and any(row[4] >= 25 for row in tag_stats(user_id))


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
    return best_answer_score(user_id) >= 25


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
        if answer_count(user_id) < min_answers:  # cheap test before the per-tag query
            return []
        return [(tag_id, name) for tag_id, name, answers, score, _helpful in tag_stats(user_id)
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
