"""Comments on questions and answers."""

from ..services import posts
from . import bp
from .auth import caller, login_required
from .parsing import json_body
from .serializers import comment_json


@bp.post("/questions/<int:question_id>/comments")
@bp.post("/answers/<int:answer_id>/comments")
@login_required
def comment(question_id=None, answer_id=None):
    """Comment on a question or an answer."""
    body = json_body(required={"body": str})["body"]
    new = posts.post_comment(caller(), body, question_id=question_id, answer_id=answer_id)
    return {"comment": comment_json(new)}, 201
