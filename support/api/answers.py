"""Answers: posting, editing, accepting and withdrawing the acceptance."""

from ..services import accept as accept_service
from ..services import posts
from . import bp
from .auth import caller, login_required
from .parsing import json_body
from .serializers import answer_json, question_summary_json


@bp.post("/questions/<int:question_id>/answers")
@login_required
def answer(question_id):
    """Answer a question as the caller."""
    body = json_body(required={"body": str})["body"]
    return {"answer": answer_json(posts.post_answer(caller(), question_id, body))}, 201


@bp.patch("/answers/<int:answer_id>")
@login_required
def edit_answer(answer_id):
    """Change an answer's text."""
    data = json_body(required={"body": str}, optional={"summary": str})
    return {"answer": answer_json(posts.edit_answer(caller(), answer_id, **data))}


def _acceptance(answer) -> dict:
    # The question too: its status and accepted_answer_id are what a client redraws.
    return {"answer": answer_json(answer), "question": question_summary_json(answer.question)}


@bp.post("/answers/<int:answer_id>/accept")
@login_required
def accept(answer_id):
    """Mark an answer as the one that solved its question."""
    return _acceptance(accept_service.accept_answer(caller(), answer_id))


@bp.delete("/answers/<int:answer_id>/accept")
@login_required
def unaccept(answer_id):
    """Withdraw the acceptance of an answer."""
    return _acceptance(accept_service.unaccept_answer(caller(), answer_id))
