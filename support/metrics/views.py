"""The deflection dashboard for staff, its CSV and JSON exports, the admin settings, and
the "helped about N people" figures of question pages and profiles."""

import csv
import io
import math
from datetime import date, timedelta

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from ..charts import line_chart
from ..errors import ServiceError
from ..extensions import db
from ..forms import apply_errors
from ..models import Question
from ..models.base import utcnow
from ..permissions import require
from ..services import csat
from . import bp
from . import report as reports
from .community import community_figures, day_start
from .config import PRIOR_SOURCES, save_deflection_config
from .forms import DeflectionSettingsForm

PERIODS = ("month", "week")
TREND_WEEKS, TREND_MONTHS, CSAT_WEEKS = 12, 6, 12
# Outside these the dashboard shows the current period (and date arithmetic cannot overflow).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9000, 12, 31)

FILTER_LABELS = {
    "bots": _l("Bots"),
    "insiders": _l("Insiders (author, answerers, staff)"),
    "not_yet_solved": _l("Views before the accepted answer"),
    "votes_without_view": _l("Votes without a qualified view"),
    "failures": _l("Failures (escalated within W days)"),
}
FUNNEL_LABELS = {
    "views": _l("Confirmed views"),
    "qualified_views": _l("Qualified views"),
    "episodes_before_cap": _l("Help episodes before the cap"),
    "capped": _l("Removed by the cap per visitor"),
    "in_ask_flows": _l("Counted in ask flows instead"),
    "failures": _l("Failures"),
}
RATE_LABELS = {
    "r": _l("r: readers whose problem was solved"),
    "c_r": _l("c_r: readers who would otherwise have contacted support"),
    "c_q": _l("c_q: askers who would otherwise have contacted support"),
}
CONFIG_LABELS = {
    "cost_per_ticket": _l("Cost of a ticket"),
    "cost_per_self_service": _l("Cost of a self-service contact"),
    "currency": _l("Currency"),
    "window_days": _l("W, escalation window (days)"),
    "dwell_seconds": _l("T_dwell (seconds)"),
    "max_views_per_hour": _l("Most views per visitor per hour"),
    "cap_per_visitor": _l("Most help episodes per visitor per period"),
    "n_min": _l("n_min, answers before a rate is measured"),
    "prior_r": _l("Prior for r"),
    "prior_c_r": _l("Prior for c_r"),
    "prior_c_q": _l("Prior for c_q"),
    "holdout_share": _l("Holdout share of ask flows"),
}


# Periods.

def periods_back(kind: str, day: date, count: int) -> list[tuple[date, date]]:
    """Return the `count` periods ending with the one holding `day`, oldest first."""
    found = [reports.period_bounds(kind, day)]
    while len(found) < count:
        found.append(reports.period_bounds(kind, found[-1][0] - timedelta(days=1)))
    return found[::-1]


def period_label(kind: str, start: date) -> str:
    """Return the short name of a period: 2026-10 or 2026-W43."""
    if kind == "week":
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


def _requested_period():
    kind = request.args.get("period") if request.args.get("period") in PERIODS else "month"
    try:
        day = date.fromisoformat(request.args.get("at", ""))
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        day = utcnow().date()
    start, end = reports.period_bounds(kind, day)
    return kind, start, end


# The dashboard.

def _trend_chart(kind, day, count, known, title):
    """D and D_low for the `count` periods ending with the one holding `day`.

    `known` holds reports already computed, by (kind, first day), so none is computed twice.
    """
    labels, points, lows = [], [], []
    for start, end in periods_back(kind, day, count):
        report = known.get((kind, start)) or reports.deflection_report(start, end)
        labels.append(period_label(kind, start))
        points.append(report["deflected"]["D"])
        lows.append(report["deflected"]["D_low"])
    return line_chart(labels, [(_("Deflected tickets (D)"), points), (_("At least (D_low)"), lows)], title=title)


def _csat_chart(end: date):
    last_monday = end - timedelta(days=end.weekday())
    trend = csat.weekly_trend(day_start(last_monday - timedelta(weeks=CSAT_WEEKS - 1)), CSAT_WEEKS)
    labels = [row["week"].strftime("%d/%m") for row in trend]
    return line_chart(labels, [(_("Satisfied (4-5)"), [row["satisfied"] for row in trend])],
                      title=_("Share of 4 and 5 ratings per week"), percent=True, y_max=1.0)


def _helped_rows(helped):
    titles = dict(db.session.execute(
        select(Question.id, Question.title).where(Question.id.in_({row["question_id"] for row in helped}))
    ).all()) if helped else {}
    return [{**row, "title": titles.get(row["question_id"], "")} for row in helped]


def headline(report) -> dict:
    """The figures of the headline, formatted for the reader."""
    savings, deflected = report["savings"], report["deflected"]
    currency = savings["currency"]
    return {
        "tickets": math.floor(deflected["D_low"]),
        "saved": format_currency(savings["headline"], currency),
        "S": format_currency(savings["S"], currency),
        "S_low": format_currency(savings["S_low"], currency),
        "S_high": format_currency(savings["S_high"], currency),
        "net": format_currency(savings["net_per_ticket"], currency),
    }


@bp.route("/staff/deflection")
@login_required
def dashboard():
    """The deflection estimate of a month or week, with the community figures beside it."""
    require(current_user, "staff")
    kind, start, end = _requested_period()
    report = reports.deflection_report(start, end)
    community = community_figures(start, end, report)
    funnel = report["funnel"]
    known = {(kind, start): report}
    latest = min(end, utcnow().date())  # the trends end with this period, never in the future
    previous = reports.period_bounds(kind, start - timedelta(days=1))[0]
    following = end + timedelta(days=1)
    return render_template(
        "metrics/dashboard.html",
        kind=kind, start=start, end=end, label=period_label(kind, start), report=report, community=community,
        headline=headline(report), final_on=date.fromisoformat(report["period"]["final_on"]),
        funnel=funnel,
        filter_labels=FILTER_LABELS, funnel_labels=FUNNEL_LABELS, rate_labels=RATE_LABELS,
        config_labels=CONFIG_LABELS,
        prior_sources=PRIOR_SOURCES, helped=_helped_rows(report["helped"]),
        weekly_chart=_trend_chart("week", latest, TREND_WEEKS, known,
                                  _("Deflected tickets per week, last %(n)d weeks", n=TREND_WEEKS)),
        monthly_chart=_trend_chart("month", latest, TREND_MONTHS, known,
                                   _("Deflected tickets per month, last %(n)d months", n=TREND_MONTHS)),
        csat_chart=_csat_chart(latest),
        previous=previous, following=following if following <= utcnow().date() else None,
    )


# Exports.

def _flatten(prefix, value, rows, section):
    if isinstance(value, dict):
        for key in sorted(value):
            _flatten(f"{prefix}.{key}" if prefix else str(key), value[key], rows, section)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(f"{prefix}.{index}" if prefix else str(index), item, rows, section)
    else:
        if isinstance(value, bool):
            value = "true" if value else "false"
        rows.append((section, prefix, "" if value is None else value))


def csv_rows(report) -> list[tuple]:
    """One (section, key, value) row per figure; filters by name, helped answers by id."""
    rows = []
    for section in sorted(report):
        value = report[section]
        if section == "filters":
            for item in value:
                rows.append((section, f"{item['name']}.removed", item["removed"]))
                _flatten(f"{item['name']}.detail", item.get("detail") or {}, rows, section)
        elif section == "helped":
            for item in value:
                rows.append((section, f"answer:{item['answer_id']}", item["episodes"]))
        else:
            _flatten("", value, rows, section)
    return rows


def _download(body: str, mimetype: str, kind: str, start: date, extension: str) -> Response:
    filename = f"deflection-{period_label(kind, start)}.{extension}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/staff/deflection.csv")
@login_required
def export_csv():
    """The period's report as section,key,value rows."""
    require(current_user, "staff")
    kind, start, end = _requested_period()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "key", "value"))
    writer.writerows(csv_rows(reports.deflection_report(start, end)))
    return _download(out.getvalue(), "text/csv", kind, start, "csv")


@bp.route("/staff/deflection.json")
@login_required
def export_json():
    """The period's report in its canonical JSON (byte-identical once the period is final)."""
    require(current_user, "staff")
    kind, start, end = _requested_period()
    body = reports.canonical_json(reports.deflection_report(start, end))
    return _download(body, "application/json", kind, start, "json")


# The administrator's settings.

@bp.route("/admin/deflection", methods=["GET", "POST"])
@login_required
def settings():
    """Costs, currency, windows, caps, priors and the holdout share of the estimate."""
    require(current_user, "admin")
    form = DeflectionSettingsForm.from_settings()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                save_deflection_config(current_user, form.values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                flash(_("The deflection settings are saved."), "success")
                return redirect(url_for("metrics.settings"))
        status = 422
    return render_template("metrics/admin.html", form=form), status


# What question pages and profiles show.

def helped_about(answer) -> int:
    """How many qualified help episodes an accepted answer served after its acceptance."""
    return reports.helped_counts([answer.id]).get(answer.id, 0)


def helped_total(user) -> int:
    """How many people a member's accepted answers helped, in all."""
    return reports.helped_total_for(user.id)


@bp.app_context_processor
def _helped_helpers():
    return {"helped_about": helped_about, "helped_total": helped_total}
