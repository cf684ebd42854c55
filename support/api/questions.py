"""Questions: the list, asking, reading a thread and editing."""

from ..pagination import page_args, paginate
from ..queries import SORTS, STATUSES, question_list
from ..services import posts
from . import bp
from .auth import caller, login_required
from .parsing import json_body, query_choice, query_tag
from .serializers import page_json, question_json, question_summary_json


@bp.get("/questions")
def questions():
    """List visible questions, filtered, sorted and paginated."""
    status = query_choice("status", STATUSES)
    sort = query_choice("sort", SORTS, default="active")
    page = paginate(question_list(status, query_tag(), sort), *page_args())
    return page_json(page, question_summary_json)


@bp.post("/questions")
@login_required
def ask():
    """Publish a question as the caller."""
    data = json_body(required={"title": str, "body": str, "tags": list[str]})
    question = posts.ask_question(caller(), **data)
    return {"question": question_json(question, caller())}, 201


@bp.get("/questions/<int:question_id>")
def question(question_id):
    """Return a whole thread."""
    return question_json(posts.get_question(question_id), caller())


@bp.patch("/questions/<int:question_id>")
@login_required
def edit_question(question_id):
    """Change a question's title, body or tags."""
    data = json_body(optional={"title": str, "body": str, "tags": list[str], "summary": str})
    question = posts.edit_question(caller(), question_id, **data)
    return {"question": question_json(question, caller())}
