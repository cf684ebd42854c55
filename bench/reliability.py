"""The reliability and security battery at full size, and its figures.

    python -m bench.reliability [--database-url postgresql+psycopg://root@127.0.0.1/pprel]
                                [--only concurrency,faults,...] [--ci-size]

(or `bench/reliability ...`). The battery is the test suite's own reliability tests; this
runs them with RELIABILITY_FULL=1, which sets the issue's full sizes (100 kills of a web
process, Redis stopped for 60 s, schemathesis and the fuzzers with more examples ...),
once on SQLite and, with --database-url, once more on PostgreSQL. Each test records
what it did through tests/figures.py; this prints those figures as tables, adds the
totals the issue asks for (requests sent, 2xx/409/429/5xx, invariant violations,
payloads x sinks, dialogs, matrix cells, unexpected responses, faults injected and
survived, writes lost), and writes them with the machine and the versions to
bench/results/reliability-<time>.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .harness import machine
from .servers import ROOT

RESULTS = ROOT / "bench" / "results"
# The battery: section -> the test files that record its figures.
SECTIONS = {
    "doctor": ["tests/support/test_doctor.py"],
    "concurrency": ["tests/reliability/test_http_concurrency.py", "tests/reliability/test_state_machine.py"],
    "faults": ["tests/reliability/test_faults.py"],
    "xss": ["tests/support/test_sanitizer_corpus.py", "tests/browser/test_xss.py"],
    "api": ["tests/api/test_schemathesis.py"],
    "fuzz": ["tests/support/test_fuzz.py"],
    "headers": ["tests/pages/test_headers_everywhere.py", "tests/pages/test_security.py"],
    "authorization": ["tests/security"],
}
# Figures summed across every check into the headline table, by the name the tests give them.
HEADLINE = ("requests", "2xx", "409", "429", "5xx", "error", "violations", "payloads", "tried", "dialogs",
            "executions", "disallowed", "cells", "unexpected", "kills", "crashes", "writes_lost",
            "half_applied", "exceptions")


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="also run on PostgreSQL: the base URL the tests derive "
                                               "their databases from (as TEST_DATABASE_URL)")
    parser.add_argument("--only", help="comma-separated sections: " + ", ".join(SECTIONS))
    parser.add_argument("--ci-size", action="store_true", help="the sizes CI runs, not the full ones")
    parser.add_argument("--workers", default="2", help="pytest-xdist workers (default 2)")
    return parser.parse_args(argv)


def server_url(database_url: str | None) -> str:
    """The server's own `postgres` database: the tests make (and drop) theirs from the name."""
    if not database_url:
        return ""
    from sqlalchemy import make_url

    return make_url(database_url).set(database="postgres").render_as_string(hide_password=False)


def run_battery(paths: list[str], database_url: str | None, figures_dir: Path, args, echo) -> dict:
    """Run the battery's tests once; return the outcome (exit code, seconds)."""
    env = {**os.environ, "RELIABILITY_FIGURES_DIR": str(figures_dir), "REQUIRE_BROWSER": "1"}
    env.pop("TEST_DATABASE_URL", None)
    if database_url:
        env["TEST_DATABASE_URL"] = database_url
    if not args.ci_size:
        env["RELIABILITY_FULL"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", args.workers, *paths]
    echo(f"\n$ {'TEST_DATABASE_URL=' + database_url + ' ' if database_url else ''}"
         f"{'RELIABILITY_FULL=1 ' if not args.ci_size else ''}{' '.join(command[1:])}")
    started = time.monotonic()
    exit_code = subprocess.call(command, cwd=ROOT, env=env)
    return {"exit_code": exit_code, "seconds": round(time.monotonic() - started, 1)}


def flatten(figures: dict, prefix: str = "") -> dict:
    """Numbers only; {"statuses": {"2xx": 3}} -> {"2xx": 3}; other nested keys keep their path."""
    flat = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.update(flatten(value, "" if key == "statuses" and not prefix else f"{prefix}{key}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[prefix + key] = value
    return flat


def headline(found: dict) -> dict:
    """Sum the headline figures over every recorded check, per database."""
    totals: dict = {}
    for (_section, database), checks in found.items():
        row = totals.setdefault(database, dict.fromkeys(HEADLINE, 0))
        for figures in checks.values():
            for key, value in flatten(figures).items():
                if key in row:
                    row[key] += value
    return totals


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in header]] + [[f"{c:g}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def section_tables(found: dict) -> str:
    out = []
    for (section, database), checks in sorted(found.items()):
        keys = sorted({k for figures in checks.values() for k in flatten(figures)})
        rows = [[name] + [flatten(figures).get(k, "") for k in keys] for name, figures in sorted(checks.items())]
        if len(rows) > 15:  # one row per route: the sum says it all
            rows = [[f"{len(rows)} checks (summed)"] + [sum(flatten(f).get(k, 0) for f in checks.values()) for k in keys]]
        if len(keys) > 12:  # too wide for a terminal: one line per check instead
            lines = [f"- {name}: " + ", ".join(f"{k} {v:g}" for k, v in sorted(flatten(figures).items()))
                     for name, figures in sorted(checks.items())]
            out.append(f"\n## {section} ({database})\n" + "\n".join(lines))
            continue
        out.append(f"\n## {section} ({database})\n" + table(rows, ["check", *keys]))
    return "\n".join(out)


def main(argv=None, echo=print) -> dict:
    sys.path.insert(0, str(ROOT))
    from tests.figures import load

    args = parse(argv)
    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        sys.exit(f"unknown section(s): {', '.join(sorted(unknown))}")
    paths = [p for s in sections for p in SECTIONS[s] if (ROOT / p).exists()]
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    figures_dir = ROOT / "test-artifacts" / f"reliability-{stamp}"  # raw, per worker; the JSON below has them all
    runs = {"sqlite": run_battery(paths, None, figures_dir, args, echo)}
    if args.database_url:
        runs["postgresql"] = run_battery(paths, args.database_url, figures_dir, args, echo)

    os.environ["RELIABILITY_FIGURES_DIR"] = str(figures_dir)
    found = load()
    totals = headline(found)
    echo(section_tables(found))
    databases = list(totals)
    echo("\n## headline\n" + table([[key, *(totals[d][key] for d in databases)] for key in HEADLINE],
                                     ["figure", *databases]))
    for database, run in runs.items():
        echo(f"{database}: pytest exit {run['exit_code']} in {run['seconds']} s")
    result = {"when": stamp, "full": not args.ci_size, "sections": sections, "runs": runs,
              "machine": machine(server_url(args.database_url)), "headline": totals,
              "figures": {f"{s}.{d}": checks for (s, d), checks in found.items()}}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"reliability-{stamp}.json"
    path.write_text(json.dumps(result, indent=1, sort_keys=True))
    echo(f"\nwritten: {path.relative_to(ROOT)}")
    if any(run["exit_code"] for run in runs.values()):
        sys.exit(1)
    return result


if __name__ == "__main__":
    main()
