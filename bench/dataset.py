"""The harness's database: a seeded community kept pristine, and a fresh copy for each run.

The pristine copy is seeded once by `flask seed-bench` (and `flask search reindex`) and
kept under the data folder (SQLite: a file and its Whoosh index; PostgreSQL: a database
named `<name>_<size>_pristine`). Each run works on a copy of it (a file copy, or
`CREATE DATABASE ... TEMPLATE`), so the write paths of one run never change the next
run's starting point.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from .servers import ROOT

SIZES = {
    "tiny": (300, 400, 2_000),
    "small": (2_000, 3_000, 10_000),
    "medium": (20_000, 30_000, 100_000),
    "full": (200_000, 300_000, 1_000_000),
}


@dataclass
class Dataset:
    engine: str                  # "sqlite" or "postgresql"
    size: str
    members: int
    questions: int
    answers: int
    folder: Path                 # this engine and size's folder under the data folder
    url: str = ""                # the run copy's database URL
    pristine_url: str = ""
    seed_seconds: dict = field(default_factory=dict)

    @property
    def pristine_folder(self) -> Path:
        return self.folder / "pristine"

    @property
    def run_folder(self) -> Path:
        return self.folder / "run"

    @property
    def search_backend(self) -> str:
        return "postgres" if self.engine == "postgresql" else "whoosh"

    def env(self, instance: Path, url: str) -> dict:
        """The environment the app (CLI or gunicorn) runs with against one copy."""
        return {"INSTANCE_PATH": str(instance), "DATABASE_URL": url, "SEARCH_BACKEND": self.search_backend,
                "SEARCH_INDEX_DIR": str(instance / "search-index"), "RATELIMIT_ENABLED": "0",
                "SECRET_KEY": "passaparola-bench", "FLASK_APP": "run",
                # The escalation ladder is not a hot path, and on a synthetic two-year history
                # its first tick would catch up on every old unanswered thread at once.
                "SLA_INLINE": "0"}


def describe(database_url: str | None, size: str, counts: tuple[int, int, int] | None, data_dir: Path) -> Dataset:
    members, questions, answers = counts or SIZES[size]
    label = size if counts is None else f"{members}-{questions}-{answers}"
    if database_url and make_url(database_url).get_backend_name() == "postgresql":
        url = make_url(database_url)
        folder = data_dir / f"postgresql-{label}"
        dataset = Dataset("postgresql", label, members, questions, answers, folder)
        dataset.url = url.set(database=f"{url.database}_{label}").render_as_string(hide_password=False)
        dataset.pristine_url = url.set(database=f"{url.database}_{label}_pristine").render_as_string(hide_password=False)
        return dataset
    folder = data_dir / f"sqlite-{label}"
    dataset = Dataset("sqlite", label, members, questions, answers, folder)
    dataset.pristine_url = f"sqlite:///{dataset.pristine_folder / 'passaparola.db'}"
    dataset.url = f"sqlite:///{dataset.run_folder / 'passaparola.db'}"
    return dataset


def flask(dataset: Dataset, instance: Path, url: str, *args: str) -> None:
    """Run a `flask` command of the app against one copy, its progress bars on the terminal."""
    env = {**os.environ, **dataset.env(instance, url)}
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, check=True)


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg

    target = make_url(url)
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _pg_drop(url: str) -> None:
    name = make_url(url).database
    _pg_admin(url, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
              f'DROP DATABASE IF EXISTS "{name}"')


def prepare(dataset: Dataset, *, reseed: bool, reindex: bool = False, echo=print) -> None:
    """Seed the pristine copy if needed, bring it to the latest schema, and make a fresh run copy."""
    marker = dataset.folder / "seeded.json"
    if reseed or not marker.exists():
        _seed(dataset, marker, echo)
    else:
        state = json.loads(marker.read_text())
        echo(f"Using the community seeded on {state['seeded_at']} ({marker})")
        flask(dataset, dataset.pristine_folder, dataset.pristine_url, "db", "upgrade")
        dataset.seed_seconds = state.get("seconds", {})
    if reindex or "search reindex" not in dataset.seed_seconds:
        started = time.perf_counter()
        flask(dataset, dataset.pristine_folder, dataset.pristine_url, "search", "reindex")
        dataset.seed_seconds["search reindex"] = round(time.perf_counter() - started, 1)
        state = json.loads(marker.read_text())
        marker.write_text(json.dumps({**state, "seconds": dataset.seed_seconds}, indent=2))
    started = time.perf_counter()
    if dataset.engine == "sqlite":
        shutil.rmtree(dataset.run_folder, ignore_errors=True)
        dataset.run_folder.mkdir(parents=True)
        with sqlite3.connect(dataset.pristine_folder / "passaparola.db") as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(dataset.pristine_folder / "passaparola.db", dataset.run_folder / "passaparola.db")
        shutil.copytree(dataset.pristine_folder / "search-index", dataset.run_folder / "search-index")
    else:
        dataset.run_folder.mkdir(parents=True, exist_ok=True)
        _pg_drop(dataset.url)
        pristine = make_url(dataset.pristine_url).database
        _pg_admin(dataset.pristine_url,
                  f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{pristine}'",
                  f'CREATE DATABASE "{make_url(dataset.url).database}" TEMPLATE "{pristine}"')
    echo(f"Fresh copy for this run in {time.perf_counter() - started:.1f} s")


def _seed(dataset: Dataset, marker: Path, echo) -> None:
    echo(f"Seeding {dataset.members:,} members, {dataset.questions:,} questions, {dataset.answers:,} answers "
         f"on {dataset.engine} (once; later runs reuse it, --reseed starts again)")
    marker.unlink(missing_ok=True)
    shutil.rmtree(dataset.pristine_folder, ignore_errors=True)
    dataset.pristine_folder.mkdir(parents=True)
    if dataset.engine == "postgresql":
        _pg_drop(dataset.pristine_url)
        _pg_admin(dataset.pristine_url, f'CREATE DATABASE "{make_url(dataset.pristine_url).database}"')
    seconds = {}
    for phase, args in (
        ("schema", ("db", "upgrade")),
        ("seed-bench", ("seed-bench", "--members", str(dataset.members), "--questions", str(dataset.questions),
                        "--answers", str(dataset.answers), "--no-search", "--yes")),
    ):
        started = time.perf_counter()
        flask(dataset, dataset.pristine_folder, dataset.pristine_url, *args)
        seconds[phase] = round(time.perf_counter() - started, 1)
    dataset.seed_seconds = seconds
    marker.write_text(json.dumps({"seeded_at": time.strftime("%Y-%m-%d %H:%M:%S"), "seconds": seconds,
                                  "members": dataset.members, "questions": dataset.questions,
                                  "answers": dataset.answers}, indent=2))
