"""API endpoints of search: /api/v1/search and /api/v1/questions/similar (API.md)."""

from flask import Blueprint, jsonify, request, url_for

from support.api.auth import identify_caller
from support.api.parsing import query_tag
from support.extensions import csrf

from . import flows, service

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(identify_caller)
PER_PAGE = 20


def _hit(hit) -> dict:
    return {"question_id": hit.question_id, "answer_id": hit.answer_id, "title": hit.title,
            "snippet_html": hit.snippet_html, "score": hit.score, "solved": hit.solved,
            "url": url_for("qa.question", question_id=hit.question_id)}


@bp.get("/search")
def search():
    try:
        page = min(max(int(request.args.get("page", 1)), 1), 1000)
    except ValueError:
        page = 1
    found = service.search(request.args.get("q", ""), tag=query_tag(), page=page, per_page=PER_PAGE)
    # Counting every match is costly on a big index: "total" is exact only when
    # "total_exact" says so (else the matches seen up to this page); "has_next" is always right.
    return jsonify({"items": [_hit(h) for h in found.hits], "page": page, "per_page": PER_PAGE,
                    "total": found.total, "total_exact": found.exact, "has_next": found.more})


@bp.get("/questions/similar")
def similar():
    if flows.holdout_for_request():
        return jsonify({"items": []})  # the ask flow's holdout sees no suggestions (DEFLECTION.md)
    return jsonify({"items": [_hit(h) for h in service.similar(request.args.get("title", ""))]})
