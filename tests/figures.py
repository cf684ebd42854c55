"""Figures of the reliability battery (issue 10), shared by its tests and `bench/reliability`.

The battery's tests are the battery: each records what it did (requests sent, 2xx/409/429/5xx,
payloads x sinks tried, dialogs fired, matrix cells, faults injected, writes lost ...) with
`record`, and `python -m bench.reliability` runs them at full scale and prints the tables.

`scale(ci, full)` picks a size: the CI size by default (the suite stays well under its time
budget), the issue's full size when RELIABILITY_FULL=1 (what `bench/reliability` sets).
"""

import json
import os
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES_DIR = Path(os.environ.get("RELIABILITY_FIGURES_DIR") or ROOT / "test-artifacts" / "reliability")
FULL = os.environ.get("RELIABILITY_FULL") == "1"
_lock = threading.Lock()


def scale(ci, full):
    """The CI-sized value, or the full-sized one under RELIABILITY_FULL=1."""
    return full if FULL else ci


def database_kind() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or ""
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def record(section: str, name: str, **figures) -> None:
    """Keep the figures of one check under test-artifacts/reliability/<section>.<database>.json.

    `name` identifies the check inside its section (a scenario, a payload sink ...); a second
    record of the same name replaces the first. Values must be JSON numbers, strings or lists.
    """
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    path = FIGURES_DIR / f"{section}.{database_kind()}.json"
    with _lock:
        # xdist workers are separate processes: one file per worker, merged by the reader.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        path = path.with_suffix(f".{worker}.json")
        data = json.loads(path.read_text()) if path.exists() else {}
        data[name] = {**figures, "full": FULL}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        tmp.replace(path)


def load(section: str | None = None) -> dict:
    """Every recorded figure: {(section, database): {name: figures}}."""
    found: dict = {}
    if not FIGURES_DIR.exists():
        return found
    for path in sorted(FIGURES_DIR.glob("*.json")):
        parts = path.name.split(".")  # section.database.worker.json
        if len(parts) != 4 or (section and parts[0] != section):
            continue
        found.setdefault((parts[0], parts[1]), {}).update(json.loads(path.read_text()))
    return found
