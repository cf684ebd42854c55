"""The benchmark harness runs end to end on a tiny community: gunicorn, wrk, the floor, the checks.

It measures nothing here (a second per path on a busy test machine says nothing); it
shows that `python -m bench` starts the servers, loads every path without an error,
finds every write durable and writes its JSON.
"""

import json
import os
import shutil
import uuid

import pytest
from sqlalchemy import make_url

from bench import harness

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None and not os.environ.get("REQUIRE_BROWSER"),
                                reason="wrk is not installed (apt-get install wrk)")

PATHS = "question_page,question_list,search,leaderboard_tag,profile,api_question,vote,accept"


def test_one_run_measures_every_path_against_the_floor(tmp_path, capsys):
    argv = ["--size", "tiny", "--duration", "1", "--warmup", "0", "--only", PATHS, "--workers", "1",
            "--data-dir", str(tmp_path / "data"), "--results", str(tmp_path / "results")]
    pg_url = os.environ.get("TEST_DATABASE_URL")
    if pg_url:
        url = make_url(pg_url)
        argv += ["--database-url", url.set(database=f"{url.database}_h{uuid.uuid4().hex[:6]}")
                 .render_as_string(hide_password=False)]
    report = harness.main(argv, echo=print)
    printed = capsys.readouterr().out

    assert set(report["paths"]) == set(PATHS.split(","))
    for name, figures in report["paths"].items():
        assert figures["requests"] > 0, name
        assert figures["errors"] == 0, (name, figures)
        assert figures["peak_rss_mb"] > 0, name
        assert figures["ratio"]["rps"] > 0, name
    assert report["floor"]["requests"] > 0 and report["floor"]["errors"] == 0
    vote = report["paths"]["vote"]["checks"]
    # wrk stops counting when the time is up: the requests then in flight (at most one per
    # connection) may still be stored.
    assert vote["successful_requests"] <= vote["new_votes"] <= vote["successful_requests"] + 10
    assert vote["successful_requests"] > 0
    assert vote["lost_updates"] == 0 and vote["scores_not_matching_votes"] == 0
    accept = report["paths"]["accept"]["checks"]
    assert accept["accepted_questions"] > 0 and accept["questions_with_two_accepted"] == 0
    assert report["machine"]["cores"] == os.cpu_count()
    assert report["engine"] == ("postgresql" if pg_url else "sqlite")

    written = list((tmp_path / "results").glob("*.json"))
    assert len(written) == 1 and json.loads(written[0].read_text())["paths"].keys() == report["paths"].keys()
    assert "| floor (1 query, 1 template) |" in printed and "| vote (API, upvote) |" in printed
    assert "web process memory under 200 MB" in printed
    if pg_url:
        from bench.dataset import _pg_drop

        for name in (f"{make_url(argv[-1]).database}_tiny", f"{make_url(argv[-1]).database}_tiny_pristine"):
            _pg_drop(make_url(argv[-1]).set(database=name).render_as_string(hide_password=False))
