"""The deflection dashboard, its exports and settings, and "helped about N people" on pages."""

import csv
import io
import json
import math
from datetime import date, timedelta

import pytest

from support.extensions import db
from support.metrics.config import deflection_config, save_deflection_config
from support.metrics.report import canonical_json, deflection_report
from support.models.base import clock_at, utcnow
from support.models.metrics import SolvedFeedback, ThreadView
from tests.pages.conftest import browser, client, make  # noqa: F401  (the page fixtures)
from tests.pages.helpers import field_error, flashes, location, text

PAGES = ["/staff/deflection", "/staff/deflection.csv", "/staff/deflection.json", "/admin/deflection"]
SETTINGS = {
    "cost_per_ticket": "9.5", "cost_per_self_service": "0.5", "currency": "usd", "window_days": "10",
    "dwell_seconds": "15", "max_views_per_hour": "50", "cap_per_visitor": "6", "n_min": "40",
    "prior_r": "0.5", "prior_c_r": "0.1", "prior_c_q": "0.25", "holdout_share": "0.1",
}


@pytest.fixture
def staff(make):
    return make.staff(username="sofia")


@pytest.fixture
def admin(make):
    return make.user(username="ada", role="admin")


@pytest.fixture
def solved(make):
    """A question solved two days ago by a member's answer, read since by three outsiders."""
    asker, helper = make.user(username="carla"), make.user(username="marco")
    now = utcnow()
    with clock_at(now - timedelta(days=2)):
        question = make.question(author=asker, title="The SIM shows no service after the swap")
        answer = make.answer(question, author=helper, body="Restart the phone, then enable 4G again.")
        make.accept(asker, answer)
    for n in range(3):
        db.session.add(ThreadView(
            visitor_key=f"c:reader{n}", question_id=question.id, viewed_at=now - timedelta(days=1, minutes=n),
            accepted_answer_id=answer.id, viewer_role=None, ua_class="browser", dwell_seconds=30,
        ))
    db.session.commit()
    return question, answer


def _report_of(day: date):
    start = day.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return deflection_report(start, end)


# Who may see what.

@pytest.mark.parametrize("path", PAGES)
def test_members_are_refused(client, make, path):
    client.login_as(make.user())
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_visitors_are_sent_to_log_in(client, path):
    assert location(client.get(path)).startswith("/login")


def test_settings_are_for_administrators_only(client, staff):
    client.login_as(staff)
    assert client.get("/admin/deflection").status_code == 403
    assert client.post("/admin/deflection", SETTINGS).status_code == 403
    assert deflection_config()["cost_per_ticket"] == 8.01


def test_the_staff_nav_links_the_dashboard_and_admins_the_settings(client, staff, admin):
    client.login_as(staff)
    page = client.get("/staff/csat").get_data(as_text=True)
    assert 'href="/staff/deflection"' in page and 'href="/admin/deflection"' not in page
    client.login_as(admin)
    page = client.get("/staff/csat").get_data(as_text=True)
    assert 'href="/staff/deflection"' in page and 'href="/admin/deflection"' in page


# The dashboard.

def test_staff_see_the_headline_filters_rates_and_assumptions(client, staff, solved):
    today = utcnow().date()
    report = _report_of(today)
    client.login_as(staff)
    response = client.get(f"/staff/deflection?period=month&at={today.isoformat()}")
    assert response.status_code == 200
    page = text(response)
    tickets = math.floor(report["deflected"]["D_low"])
    assert f"At least {tickets:,} tickets and €{report['savings']['headline']:,}.00 saved" in page
    assert "Provisional until" in page  # the current month is never final
    for label in ("Bots", "Insiders (author, answerers, staff)", "Views before the accepted answer",
                  "Votes without a qualified view", "Failures (escalated within W days)"):
        assert label in page
    # No prompt was answered: every rate falls back to its prior, labelled as such with its source.
    assert page.count("assumed (prior)") == 3
    assert "Khoros' worked example" in page
    assert "Self-service score n/a" in page
    assert "D = E·r·c_r + (A+Q)·c_q" in page
    assert "Gartner 2019" in page
    for key in ("window_days", "dwell_seconds", "cap_per_visitor", "n_min", "holdout_share"):
        assert str(report["config"][key]) in page
    assert "Holdout check of the ask-flow deflections Not enough data" in page
    assert "Time to first answer, median" in page and "Answer rate" in page
    assert "<svg" in response.get_data(as_text=True)


def test_a_measured_rate_shows_its_counts_and_interval(client, staff, admin, solved):
    question, _answer = solved
    save_deflection_config(admin, {"n_min": 2})
    answered_at = utcnow() - timedelta(days=1)
    for n, solved_it in enumerate((True, True, False)):  # the three readers of `solved`
        db.session.add(SolvedFeedback(question_id=question.id, visitor_key=f"c:reader{n}", solved=solved_it,
                                      answered_at=answered_at))
    db.session.commit()
    report = _report_of(answered_at.date())
    r = report["rates"]["r"]
    assert (r["k"], r["n"], r["assumed"]) == (2, 3, False)
    client.login_as(staff)
    page = text(client.get(f"/staff/deflection?at={answered_at.date().isoformat()}"))
    assert "r: readers whose problem was solved 2 3 0.6667" in page
    assert f"{r['low']:.4f} – {r['high']:.4f} measured" in page
    assert page.count("assumed (prior)") == 2


def test_the_dashboard_shows_the_answers_that_helped_most(client, staff, solved):
    question, answer = solved
    client.login_as(staff)
    viewed_on = (utcnow() - timedelta(days=1)).date()
    page = client.get(f"/staff/deflection?at={viewed_on.isoformat()}").get_data(as_text=True)
    assert f'href="/answers/{answer.id}/link"' in page
    assert "helped about 3 people" in page


def test_a_week_and_its_neighbours(client, staff):
    client.login_as(staff)
    response = client.get("/staff/deflection?period=week&at=2026-10-14")
    assert response.status_code == 200
    page = text(response)
    assert "2026-W42" in page and "Final" in page
    assert 'href="/staff/deflection?period=week&amp;at=2026-10-05"' in response.get_data(as_text=True)
    # Nonsense falls back to this month rather than failing.
    for query in ("period=year&at=yesterday", "at=0001-01-01", "period=month&at=9999-12-31"):
        assert client.get(f"/staff/deflection?{query}").status_code == 200
        assert client.get(f"/staff/deflection.csv?{query}").status_code == 200


# Exports.

def test_the_json_export_is_the_canonical_report(client, staff, solved):
    client.login_as(staff)
    response = client.get("/staff/deflection.json?period=month&at=2026-10-15")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="deflection-2026-10.json"'
    assert response.get_data(as_text=True) == canonical_json(deflection_report(date(2026, 10, 1), date(2026, 10, 31)))
    week = client.get("/staff/deflection.json?period=week&at=2026-10-15")
    assert week.headers["Content-Disposition"] == 'attachment; filename="deflection-2026-W42.json"'
    assert json.loads(week.get_data(as_text=True))["period"] == {
        "from": "2026-10-12", "to": "2026-10-18", "provisional": False, "final_on": "2026-10-26"}


def test_the_csv_export_has_a_row_per_figure(client, staff, solved):
    today = utcnow().date()
    report = _report_of(today)
    client.login_as(staff)
    response = client.get(f"/staff/deflection.csv?at={today.isoformat()}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="deflection-{today:%Y-%m}.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "key", "value"]
    figures = {(section, key): value for section, key, value in rows[1:]}
    assert len(figures) == len(rows) - 1
    for f in report["filters"]:
        assert figures[("filters", f"{f['name']}.removed")] == str(f["removed"])
        for reason, removed in f["detail"].items():
            assert figures[("filters", f"{f['name']}.detail.{reason}")] == str(removed)
    for name, rate in report["rates"].items():
        assert figures[("rates", f"{name}.k")] == str(rate["k"])
        assert figures[("rates", f"{name}.assumed")] == "true"
        assert figures[("rates", f"{name}.low")] == str(rate["low"])
    assert figures[("deflected", "D_low")] == str(report["deflected"]["D_low"])
    assert figures[("savings", "headline")] == str(report["savings"]["headline"])
    assert figures[("config", "cost_per_ticket")] == "8.01"
    assert figures[("period", "provisional")] == "true"
    assert figures[("companions", "self_service_score")] == ""
    for row in report["helped"]:
        assert figures[("helped", f"answer:{row['answer_id']}")] == str(row["episodes"])


# The administrator's settings.

def test_an_admin_saves_every_setting(client, admin):
    client.login_as(admin)
    page = client.get("/admin/deflection")
    assert page.status_code == 200
    assert 'value="8.01"' in page.get_data(as_text=True)
    response = client.post("/admin/deflection", SETTINGS, csrf_from="/admin/deflection")
    assert location(response) == "/admin/deflection"
    assert flashes(client.get("/admin/deflection")) == ["The deflection settings are saved."]
    assert deflection_config() == {
        "cost_per_ticket": 9.5, "cost_per_self_service": 0.5, "currency": "USD", "window_days": 10,
        "dwell_seconds": 15, "max_views_per_hour": 50, "cap_per_visitor": 6, "n_min": 40,
        "prior_r": 0.5, "prior_c_r": 0.1, "prior_c_q": 0.25, "holdout_share": 0.1,
    }


def test_self_service_costing_as_much_as_a_ticket_is_refused_next_to_the_field(client, admin):
    client.login_as(admin)
    response = client.post("/admin/deflection", {**SETTINGS, "cost_per_self_service": "9.5"},
                           csrf_from="/admin/deflection")
    assert response.status_code == 422
    assert "Self-service must cost less than a ticket" in field_error(response, "cost_per_self_service")
    assert deflection_config()["cost_per_ticket"] == 8.01


def test_out_of_range_and_missing_values_are_shown_next_to_their_fields(client, admin):
    client.login_as(admin)
    response = client.post("/admin/deflection", {**SETTINGS, "prior_r": "1.5", "window_days": ""},
                           csrf_from="/admin/deflection")
    assert response.status_code == 422
    assert field_error(response, "window_days")
    client_again = client.post("/admin/deflection", {**SETTINGS, "prior_r": "1.5"}, csrf_from="/admin/deflection")
    assert "Enter a value from 0.0 to 1.0." in field_error(client_again, "prior_r")
    assert deflection_config()["prior_r"] == 0.48


# What everyone sees on question pages and members on their own profile.

def test_the_accepted_answer_says_how_many_people_it_helped(client, make, solved):
    question, answer = solved
    assert "helped about 3 people" in text(client.get(f"/questions/{question.id}"))
    client.login_as(make.user())
    assert "helped about 3 people" in text(client.get(f"/questions/{question.id}"))


def test_an_accepted_answer_nobody_read_says_nothing(client, make):
    question = make.question()
    make.accept(question.author, make.answer(question))
    assert "helped about" not in text(client.get(f"/questions/{question.id}"))


def test_members_see_how_many_their_answers_helped_on_their_own_profile_only(client, make, solved):
    question, answer = solved
    helper, other = answer.author, make.user()
    client.login_as(helper)
    assert "Your answers helped about 3 people." in text(client.get(f"/users/{helper.id}"))
    assert "Your answers helped about" not in text(client.get(f"/users/{other.id}"))
    client.login_as(other)
    assert "Your answers helped about" not in text(client.get(f"/users/{helper.id}"))
    client.logout()
    assert "Your answers helped about" not in text(client.get(f"/users/{helper.id}"))
