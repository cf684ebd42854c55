"""The ideas board's invariant for `flask doctor`."""

from sqlalchemy import func, select

from .doctor import cache_mismatches, register
from .extensions import db
from .models import Idea, IdeaVote


@register("I-ideas idea votes equal the vote rows; no votes on merged ideas")
def idea_votes():
    rows = cache_mismatches(Idea.id, Idea.votes, IdeaVote.idea_id, func.count(IdeaVote.id))
    problems = [f"idea {i} has votes {cached} but {actual} vote rows" for i, cached, actual in rows]
    merged = db.session.execute(
        select(IdeaVote.idea_id, func.count()).join(Idea, Idea.id == IdeaVote.idea_id)
        .where(Idea.merged_into_id.is_not(None)).group_by(IdeaVote.idea_id)
    ).all()
    problems += [f"merged idea {i} still has {n} vote rows" for i, n in merged]
    return problems
