"""The search page: /search?q=&tag=&solved=1&page=."""

from dataclasses import dataclass

from flask import Blueprint, render_template, request

from support.api.parsing import query_tag
from support.pagination import Page

from . import service
from .text import MAX_QUERY_CHARS, query_terms

bp = Blueprint("search", __name__)
PER_PAGE = 10


@dataclass
class ResultsPage(Page):
    """A page of hits whose total may be a lower bound (documents.Results): when it is,
    the next page is offered from `more` and the page count is not shown."""

    exact: bool = True
    more: bool = False

    @property
    def has_next(self) -> bool:
        return self.more


@bp.get("/search")
def results():
    raw = request.args.get("q", "")
    tag = query_tag()
    solved = request.args.get("solved") == "1"
    try:
        page = min(max(int(request.args.get("page", 1)), 1), 1000)
    except ValueError:
        page = 1
    terms = query_terms(raw)
    found = service.search(raw, tag=tag, solved_only=solved, page=page, per_page=PER_PAGE)
    return render_template(
        "search/results.html", q=raw[:MAX_QUERY_CHARS], terms=terms, tag=tag, solved=solved,
        truncated=len(raw) > MAX_QUERY_CHARS,
        page=ResultsPage(found.hits, page, PER_PAGE, found.total, exact=found.exact, more=found.more),
    )
