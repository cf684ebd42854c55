"""The ideas board: list, propose, read, vote and (staff) answer with a status."""

from ..ideas_receivers import idea_path
from ..models.ideas import IDEA_STATUSES
from ..pagination import page_args, paginate
from ..services import ideas
from . import bp
from .auth import caller, login_required
from .parsing import json_body, query_choice, query_tag
from .serializers import author_json, iso, page_json


def idea_summary_json(idea) -> dict:
    """Return the fields of an idea shown in lists."""
    return {
        "id": idea.id,
        "title": idea.title,
        "tags": [tag.name for tag in idea.tags],
        "author": author_json(idea.author),
        "status": idea.status,
        "votes": idea.votes,
        "url": idea_path(idea.id),
        "created_at": iso(idea.created_at),
    }


def idea_json(idea) -> dict:
    """Return a whole idea with the company's latest response."""
    return {
        **idea_summary_json(idea),
        "body": idea.body,
        "body_html": idea.body_html,
        "response": idea.response,
        "response_html": idea.response_html,
        "merged_into_id": idea.merged_into_id,
    }


@bp.get("/ideas")
def ideas_list():
    """List the board's ideas, filtered, sorted and paginated."""
    status = query_choice("status", IDEA_STATUSES)
    sort = query_choice("sort", ideas.SORTS, default="trending")
    page = paginate(ideas.idea_list(status, query_tag(), sort), *page_args())
    return page_json(page, idea_summary_json)


@bp.post("/ideas")
@login_required
def ideas_post():
    """Propose an idea as the caller."""
    data = json_body(required={"title": str, "body": str}, optional={"tags": list[str]})
    return {"idea": idea_json(ideas.post_idea(caller(), **data))}, 201


@bp.get("/ideas/<int:idea_id>")
def ideas_read(idea_id):
    """Return one idea."""
    return idea_json(ideas.get_idea(idea_id))


@bp.patch("/ideas/<int:idea_id>")
@login_required
def ideas_set_status(idea_id):
    """Staff: set the idea's status with a public response (required)."""
    data = json_body(required={"status": str, "response": str})
    return {"idea": idea_json(ideas.set_status(caller(), idea_id, data["status"], data["response"]))}


@bp.post("/ideas/<int:idea_id>/votes")
@login_required
def ideas_vote(idea_id):
    """Vote the idea up (a second vote changes nothing)."""
    return {"votes": ideas.vote(caller(), idea_id).votes, "voted": True}


@bp.delete("/ideas/<int:idea_id>/votes")
@login_required
def ideas_retract_vote(idea_id):
    """Take the caller's vote back."""
    return {"votes": ideas.retract_vote(caller(), idea_id).votes, "voted": False}
