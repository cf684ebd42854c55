"""One paginate helper for every list, page and API alike."""

import math
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import func, select

from .extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_args(max_per_page: int = 100) -> tuple[int, int]:
    """Read ?page= and ?per_page= leniently: nonsense falls back to the defaults."""
    def _int(name, default):
        try:
            return int(request.args.get(name, default))
        except (TypeError, ValueError):
            return default

    page = min(max(_int("page", 1), 1), 10_000)
    per_page = min(max(_int("per_page", current_app.config["PER_PAGE"]), 1), max_per_page)
    return page, per_page


def paginate(stmt, page: int, per_page: int, scalars: bool = True) -> Page:
    """Run a select for one page and count the whole result."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = rows.scalars().all() if scalars else rows.all()
    return Page(items=items, page=page, per_page=per_page, total=total)
