"""Staff analytics: the deflection report and the community figures of a period (API.md "Metrics")."""

import re
from datetime import date

from flask import request
from flask_babel import gettext as _

from ..errors import Invalid
from ..metrics import report
from ..metrics.community import community_figures
from ..permissions import require
from . import bp
from .auth import caller, login_required

MAX_SPAN_DAYS = 366
# Beyond these there is no community to measure, and date arithmetic would overflow.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9000, 12, 31)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(name: str) -> date:
    raw = request.args.get(name)
    if not raw:
        msg = _("This field is required.")
        raise Invalid(msg, fields={name: msg})
    try:
        # fromisoformat alone would also take 20261031 and week dates.
        if not DAY.fullmatch(raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(raw)
        return day
    except ValueError:
        msg = _("Use a date such as 2026-10-31.")
        raise Invalid(msg, fields={name: msg}) from None


def requested_period() -> tuple[date, date]:
    """Return ?from= and ?to= (inclusive UTC days) or raise Invalid (422) naming the bad one."""
    start, end = _day("from"), _day("to")
    if start > end:
        msg = _("The start must not be after the end.")
        raise Invalid(msg, fields={"from": msg})
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        msg = _("Ask for at most %(n)d days at a time.", n=MAX_SPAN_DAYS)
        raise Invalid(msg, fields={"to": msg})
    return start, end


@bp.get("/metrics/deflection")
@login_required
def deflection_report():
    """Return the deflection report of a period (staff only)."""
    require(caller(), "staff")
    return report.deflection_report(*requested_period())


@bp.get("/metrics/community")
@login_required
def community_report():
    """Return the community figures of a period (staff only)."""
    require(caller(), "staff")
    return community_figures(*requested_period())
