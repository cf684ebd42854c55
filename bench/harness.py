"""Measure every hot path of Passaparola under gunicorn against the floor of the stack.

    python -m bench [--size tiny|small|medium|full] [--database-url postgresql+psycopg://...]
                    [--duration 10] [--warmup 3] [--connections 10] [--workers 2] [--threads 4]
                    [--only question_page,vote,...] [--reseed] [--data-dir bench/data]

Seeds a community once with `flask seed-bench` (kept pristine under the data folder, or
as the PostgreSQL database `<name>_<size>_pristine`), copies it for the run, starts the
app under gunicorn on 127.0.0.1 and loads it with wrk from a separate process: the
question page with 30 answers, the question list, the search page, the leaderboards
(week, month, all time, per tag), the profile page, the API question, and the vote and
accept write paths through the API. The floor (`bench/floor.py`: one query, one
template, same database and server settings) is measured in the same run; every figure
is also given as a ratio to it. Prints a table and the targets of the benchmark issue,
and writes everything as JSON under bench/results/ with the machine and the versions.
Rate limits are off in the benchmark (they would turn the load into 429s), and so is the
escalation ladder's thread (not a hot path; run as `flask support sla-tick` in
production); all else is the app as it ships, including the in-process outbox drainer.
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from importlib import metadata
from pathlib import Path

from . import dataset as datasets
from . import load, scenarios as scenario_lib
from .servers import ROOT, gunicorn, peak_memory_mb, reset_peak_memory

RESULTS = ROOT / "bench" / "results"
MEMORY_TARGET_MB = 200
SEARCH_P95_MS = {"sqlite": 60, "postgresql": 20}
VOTES_PER_SECOND = {"sqlite": 300, "postgresql": 500}
PACKAGES = ("flask", "werkzeug", "jinja2", "sqlalchemy", "flask-sqlalchemy", "gunicorn", "whoosh3",
            "psycopg", "flask-socketio", "markdown-it-py", "nh3")


def parse(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=datasets.SIZES, default="full")
    parser.add_argument("--members", type=int, help="with --questions and --answers: a size of your own")
    parser.add_argument("--questions", type=int)
    parser.add_argument("--answers", type=int)
    parser.add_argument("--database-url", help="a PostgreSQL URL (its database name is the prefix of the "
                                               "two databases the harness creates); default: SQLite")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per path")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per path, not measured")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: cores)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument("--reseed", action="store_true", help="seed the pristine community again")
    parser.add_argument("--reindex", action="store_true", help="rebuild the pristine copy's search index "
                                                               "(after a change to the search code)")
    parser.add_argument("--prepare-only", action="store_true", help="seed (and index) the community, then stop")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    custom = (args.members, args.questions, args.answers)
    if any(custom) and not all(custom):
        parser.error("--members, --questions and --answers go together")
    args.counts = custom if all(custom) else None
    return args


def machine(database_url: str) -> dict:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    versions["python"] = platform.python_version()
    versions["sqlite"] = sqlite3.sqlite_version
    if database_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(database_url)
        with engine.connect() as conn:
            versions["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    wrk = os.popen("wrk --version 2>&1").read().split("\n")[0].strip()
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(os.sysconf("SC_PAGE_SIZE") *
            os.sysconf("SC_PHYS_PAGES") / 2**30, 1), "os": platform.platform(), "load_generator": wrk,
            "versions": versions}


def build_scenarios(dataset, args):
    """Pick each path's requests on the run copy (and store the run's bearer tokens in it)."""
    from support import create_app
    from support.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": dataset.url, "INSTANCE_PATH": str(dataset.run_folder),
                      "SEARCH_BACKEND": dataset.search_backend, "OUTBOX_INLINE": False})
    with app.app_context():
        built = scenario_lib.build(db.session, duration=args.duration, warmup=args.warmup)
        db.session.commit()
        hot_ids = built[0].facts["question_ids"]
        facts = {"members": db.session.execute(db.text("SELECT count(*) FROM users")).scalar(),
                 "questions": db.session.execute(db.text("SELECT count(*) FROM questions")).scalar(),
                 "answers": db.session.execute(db.text("SELECT count(*) FROM answers")).scalar(),
                 "votes": db.session.execute(db.text("SELECT count(*) FROM votes")).scalar()}
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {s.name for s in built}
        if unknown:
            sys.exit(f"unknown scenario(s): {', '.join(sorted(unknown))}; known: {', '.join(s.name for s in built)}")
        built = [s for s in built if s.name in wanted]
    return app, built, facts, hot_ids


def wait_for_outbox(app, timeout: float = 120.0) -> float:
    """Seconds until the in-process drainer has carried out every side effect of the writes."""
    from support.extensions import db

    started = time.monotonic()
    with app.app_context():
        while time.monotonic() - started < timeout:
            pending = db.session.execute(db.text("SELECT count(*) FROM outbox WHERE done_at IS NULL")).scalar()
            db.session.rollback()
            if not pending:
                break
            time.sleep(0.2)
        db.session.remove()
    return round(time.monotonic() - started, 1)


def measure(base, master, requests_folder, name, args, before=None) -> dict:
    """Warm up, then load one path; `before` runs between the two (a write path's count)."""
    if args.warmup > 0:
        load.run(base, requests_folder / f"{name}.warmup.tsv", seconds=args.warmup, connections=args.connections)
    if before:
        before()
    reset_peak_memory(master)
    figures = load.run(base, requests_folder / f"{name}.tsv", seconds=args.duration, connections=args.connections)
    figures["peak_rss_mb"] = round(peak_memory_mb(master), 1)
    return figures


def run_paths(app, dataset, built, requests_folder, args, echo) -> dict:
    from support.extensions import db

    results = {}
    log = dataset.run_folder / "gunicorn.log"
    with gunicorn("run:app", dataset.env(dataset.run_folder, dataset.url), workers=args.workers,
                  threads=args.threads, log=log, ready_path="/questions") as (base, master):
        for scenario in built:
            echo(f"  {scenario.label} ...")
            counted = {}

            def count_votes():
                wait_for_outbox(app)
                with app.app_context():
                    counted["votes"] = db.session.execute(db.text("SELECT count(*) FROM votes")).scalar()
                    db.session.remove()

            figures = measure(base, master, requests_folder, scenario.name, args,
                              before=count_votes if scenario.write else None)
            if scenario.write:
                figures["outbox_drained_after_s"] = wait_for_outbox(app)
                succeeded = figures["requests"] - figures["non_2xx_3xx"]
                with app.app_context():
                    if scenario.name == "vote":
                        figures["checks"] = scenario_lib.check_votes(db.session, scenario, counted["votes"], succeeded)
                    else:
                        figures["checks"] = scenario_lib.check_accepts(db.session, scenario)
                    db.session.remove()
            figures["label"] = scenario.label
            figures["facts"] = {k: v for k, v in (scenario.facts or {}).items() if not isinstance(v, list)}
            results[scenario.name] = figures
            echo(f"    {figures['rps']:.0f} req/s, p95 {figures['p95_ms']:.1f} ms, errors {figures['errors']}")
    return results


def run_floor(dataset, hot_ids, requests_folder, args) -> dict:
    lines = [scenario_lib.request_line(f"/floor/{qid}") for qid in hot_ids]
    floor = scenario_lib.Scenario("floor", "floor (1 query, 1 template)", lines=lines)
    scenario_lib.write_files([floor], requests_folder)
    with gunicorn("bench.floor:app", {"DATABASE_URL": dataset.url}, workers=args.workers, threads=args.threads,
                  log=dataset.run_folder / "floor.log", ready_path=f"/floor/{hot_ids[0]}") as (base, master):
        return measure(base, master, requests_folder, "floor", args)


def add_ratios(results: dict, floor: dict) -> None:
    for figures in results.values():
        figures["ratio"] = {
            "rps": round(figures["rps"] / floor["rps"], 3) if floor["rps"] else None,
            **{key: round(figures[f"{key}_ms"] / floor[f"{key}_ms"], 2) if floor[f"{key}_ms"] else None
               for key in ("p50", "p95", "p99")},
        }


def targets(engine: str, results: dict, floor: dict) -> list[tuple[str, str, bool]]:
    """The benchmark issue's targets: (what, measured, met)."""
    checks = []
    page = results.get("question_page")
    if page:
        checks.append(("question page: at least half the floor's req/s",
                       f"{page['ratio']['rps']:.2f} x floor", page["ratio"]["rps"] >= 0.5))
        checks.append(("question page: p95 under 25 ms", f"{page['p95_ms']:.1f} ms", page["p95_ms"] < 25))
    for name in ("leaderboard_week", "leaderboard_month", "leaderboard_all", "leaderboard_tag"):
        if name in results:
            checks.append((f"{results[name]['label']}: p95 under 20 ms", f"{results[name]['p95_ms']:.1f} ms",
                           results[name]["p95_ms"] < 20))
    if "search" in results:
        limit = SEARCH_P95_MS[engine]
        checks.append((f"search page: p95 under {limit} ms", f"{results['search']['p95_ms']:.1f} ms",
                       results["search"]["p95_ms"] < limit))
    if "vote" in results:
        vote, floor_votes = results["vote"], VOTES_PER_SECOND[engine]
        lost = vote["checks"]["lost_updates"] + vote["checks"]["scores_not_matching_votes"]
        checks.append((f"votes: at least {floor_votes}/s, no errors, no lost updates",
                       f"{vote['rps']:.0f}/s, {vote['errors']} errors, {lost} lost",
                       vote["rps"] >= floor_votes and vote["errors"] == 0 and lost == 0))
    peak = max(f["peak_rss_mb"] for f in results.values()) if results else 0
    checks.append((f"web process memory under {MEMORY_TARGET_MB} MB", f"{peak:.0f} MB peak", peak < MEMORY_TARGET_MB))
    return checks


def table(results: dict, floor: dict) -> str:
    head = ("| path | req/s | p50 ms | p95 ms | p99 ms | errors | peak MB | req/s ÷ floor | p95 ÷ floor |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = [f"| floor (1 query, 1 template) | {floor['rps']:.0f} | {floor['p50_ms']:.2f} | {floor['p95_ms']:.2f} | "
            f"{floor['p99_ms']:.2f} | {floor['errors']} | {floor['peak_rss_mb']:.0f} | 1 | 1 |"]
    for figures in results.values():
        rows.append(f"| {figures['label']} | {figures['rps']:.0f} | {figures['p50_ms']:.2f} | {figures['p95_ms']:.2f} | "
                    f"{figures['p99_ms']:.2f} | {figures['errors']} | {figures['peak_rss_mb']:.0f} | "
                    f"{figures['ratio']['rps']:.2f} | {figures['ratio']['p95']:.1f} |")
    return "\n".join([head, *rows])


def main(argv=None, echo=print) -> dict:
    args = parse(argv)
    if not load.available():
        sys.exit("wrk is not installed: apt-get install wrk (Debian's package)")
    dataset = datasets.describe(args.database_url, args.size, args.counts, args.data_dir)
    datasets.prepare(dataset, reseed=args.reseed, reindex=args.reindex, echo=echo)
    if args.prepare_only:
        return {}
    app, built, facts, hot_ids = build_scenarios(dataset, args)
    requests_folder = dataset.run_folder / "requests"
    scenario_lib.write_files(built, requests_folder)
    echo(f"Floor: one query, one template ({args.workers} workers x {args.threads} threads, "
         f"{args.connections} connections, {args.duration:.0f} s per path) ...")
    floor = run_floor(dataset, hot_ids, requests_folder, args)
    echo(f"    {floor['rps']:.0f} req/s, p95 {floor['p95_ms']:.1f} ms")
    results = run_paths(app, dataset, built, requests_folder, args, echo)
    add_ratios(results, floor)
    checks = targets(dataset.engine, results, floor)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "engine": dataset.engine, "search_backend": dataset.search_backend,
        "size": dataset.size, "data": facts, "seed_seconds": dataset.seed_seconds,
        "settings": {"workers": args.workers, "threads": args.threads, "connections": args.connections,
                     "duration_s": args.duration, "warmup_s": args.warmup, "server": "gunicorn gthread"},
        "machine": machine(dataset.url),
        "floor": floor, "paths": results,
        "targets": [{"target": what, "measured": measured, "met": met} for what, measured, met in checks],
    }
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"{time.strftime('%Y%m%d-%H%M%S')}-{dataset.engine}-{dataset.size}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    echo("")
    echo(f"{dataset.engine}, {facts['members']:,} members, {facts['questions']:,} questions, "
         f"{facts['answers']:,} answers; {report['machine']['cores']} cores")
    echo(table(results, floor))
    echo("")
    for what, measured, met in checks:
        echo(f"  [{'ok' if met else 'MISSED'}] {what}: {measured}")
    for name in ("vote", "accept"):
        if name in results:
            echo(f"  {name} checks: {results[name]['checks']}; outbox drained "
                 f"{results[name]['outbox_drained_after_s']} s after the run")
    echo(f"\nWritten to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return report
