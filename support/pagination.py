"""One paginate helper for every list, page and API alike."""

import math
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import func, literal_column, select

from .extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    # True when the count stopped early: `total` is then a lower bound ("more than N").
    capped: bool = False
    # Whether a row exists after this page (known from one extra row read with the page).
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.more if self.capped else self.page < self.pages


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


def _count(stmt, limit: int | None) -> int:
    """Count a select's rows; with a limit, stop after limit + 1 rows and select no columns.

    An exact count reads every matching row on every view, which grows with the table;
    a capped one reads at most limit + 1 index entries or rows.
    """
    if limit is None:
        return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    inner = stmt.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True).limit(limit + 1)
    return db.session.scalar(select(func.count()).select_from(inner.subquery()))


def paginate(stmt, page: int, per_page: int, scalars: bool = True, count_limit: int | None = None,
             count_stmt=None, key=None) -> Page:
    """Run a select for one page and count the whole result (only up to `count_limit` when given).

    `count_stmt` selects the same rows as `stmt`, written to be counted fast. With `key`
    (the rows' primary key column) the OFFSET walk selects only keys, which an index can
    answer alone, and whole rows (with their eager joins) are read for this page only.
    """
    offset = (page - 1) * per_page
    if key is None:
        page_stmt = stmt.limit(per_page + 1).offset(offset)
    else:
        keys = stmt.with_only_columns(key, maintain_column_froms=True).limit(per_page + 1).offset(offset)
        page_stmt = stmt.where(key.in_(select(keys.subquery().c[0])))
    rows = db.session.execute(page_stmt)
    items = rows.scalars().all() if scalars else rows.all()
    more = len(items) > per_page
    items = items[:per_page]
    total = _count(stmt if count_stmt is None else count_stmt, count_limit)
    if count_limit is None or total <= count_limit:
        return Page(items=items, page=page, per_page=per_page, total=total, more=more)
    # Past the cap the page itself says how far the list goes at least.
    total = max(count_limit, offset + len(items) + int(more))
    return Page(items=items, page=page, per_page=per_page, total=total, capped=True, more=more)
