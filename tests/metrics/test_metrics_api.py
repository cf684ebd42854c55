"""GET /api/v1/metrics/deflection and /api/v1/metrics/community: staff only, checked dates,
and answers shaped as the OpenAPI document says (the `api` fixture checks every one)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from support.metrics.community import percentile
from support.models.base import clock_at
from tests.api.conftest import api, person  # noqa: F401  (the checked API client)
from tests.pages.conftest import browser, client  # noqa: F401  (the page client)

ENDPOINTS = ["/api/v1/metrics/deflection", "/api/v1/metrics/community"]
OCTOBER = "from=2026-10-01&to=2026-10-31"


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("kind, status", [("anonymous", 401), ("member", 403), ("helper", 403),
                                          ("staff", 200), ("admin", 200)])
def test_only_staff_read_the_metrics(api, person, path, kind, status):
    response = api.acting(person(kind)).get(f"{path}?{OCTOBER}")
    assert response.status_code == status


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("query, field", [
    ("", "from"),
    ("from=2026-10-01", "to"),
    ("from=2026-13-01&to=2026-10-31", "from"),
    ("from=20261001&to=2026-10-31", "from"),
    ("from=2026-10-01&to=2026-10-32", "to"),
    ("from=2026-10-31&to=2026-10-01", "from"),
    ("from=2025-01-01&to=2026-01-02", "to"),  # 367 days
    ("from=9999-12-30&to=9999-12-31", "from"),
    ("from=0001-01-01&to=0001-01-02", "from"),
])
def test_bad_dates_are_refused(api, make, path, query, field):
    response = api.as_user(make.staff()).get(f"{path}?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_whole_leap_year_is_allowed(api, make):
    response = api.as_user(make.staff()).get("/api/v1/metrics/deflection?from=2024-01-01&to=2024-12-31")
    assert response.status_code == 200
    assert response.get_json()["period"]["from"] == "2024-01-01"


def test_the_report_equals_the_dashboards_json_export(api, client, make):
    staff = make.staff()
    report = api.as_user(staff).get(f"/api/v1/metrics/deflection?{OCTOBER}").get_json()
    client.login_as(staff)
    exported = client.get("/staff/deflection.json?period=month&at=2026-10-15").get_data(as_text=True)
    assert report == json.loads(exported)
    assert report["period"]["to"] == "2026-10-31"
    assert set(report["rates"]) == {"r", "c_r", "c_q"}


def test_community_figures_of_a_period(api, make):
    october = datetime(2026, 10, 5, 9, tzinfo=UTC)
    waits = [10, 30, 60, 240]  # minutes to the first answer of four questions; a fifth gets none
    for n, minutes in enumerate(waits):
        with clock_at(october + timedelta(days=n)):
            question = make.question()
        with clock_at(october + timedelta(days=n, minutes=minutes)):
            answer = make.answer(question)
        with clock_at(october + timedelta(days=n, minutes=minutes + 5)):
            make.answer(question)  # a later answer does not change the time to the first
        if n < 2:
            make.accept(question.author, answer)
    with clock_at(october + timedelta(days=6)):
        make.question()
    with clock_at(datetime(2026, 11, 2, tzinfo=UTC)):
        make.answer(make.question())  # November: outside the period

    response = api.as_user(make.staff()).get(f"/api/v1/metrics/community?{OCTOBER}")
    assert response.status_code == 200
    figures = response.get_json()
    assert figures["period"] == {"from": "2026-10-01", "to": "2026-10-31"}
    assert figures["questions"] == {
        "asked": 5, "answered": 4, "solved": 2, "answer_rate": 0.8, "solve_rate": 0.4,
        "first_answer_minutes": {"median": 45.0, "p90": 240.0},
    }
    assert set(figures["segments"]) == {"day", "total", "creator", "contributor", "viewer"}
    assert figures["csat"]["overall"]["responses"] == 0
    assert [week["week"] for week in figures["csat"]["weekly"]][:2] == ["2026-09-28", "2026-10-05"]
    assert len(figures["csat"]["weekly"]) == 5


def test_community_figures_of_an_empty_period(api, make):
    figures = api.as_user(make.staff()).get("/api/v1/metrics/community?from=2020-02-01&to=2020-02-29").get_json()
    assert figures["questions"]["asked"] == 0
    assert figures["questions"]["answer_rate"] is None
    assert figures["questions"]["first_answer_minutes"] == {"median": None, "p90": None}


def test_percentile_is_nearest_rank():
    assert percentile([], 0.9) is None
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile(list(range(1, 11)), 0.5) == 5
