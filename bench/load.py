"""The load generator: wrk (Debian's package) in its own process, replaying a request file."""

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).with_name("requests.lua")
THREADS = 2


def available() -> str | None:
    """wrk's path, or None when it is not installed (`apt-get install wrk`)."""
    return shutil.which("wrk")


def run(base_url: str, requests_file: Path, *, seconds: float, connections: int) -> dict:
    """Send the file's requests for `seconds` over `connections` keep-alive connections."""
    threads = min(THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(SCRIPT), base_url, "--", str(requests_file), str(threads)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    seconds_run = figures["duration_us"] / 1e6
    latency = figures["latency_us"]
    errors = sum(figures[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx_3xx"))
    return {
        "requests": figures["requests"],
        "rps": round(figures["requests"] / seconds_run, 1),
        "p50_ms": latency["p50"] / 1000, "p95_ms": latency["p95"] / 1000, "p99_ms": latency["p99"] / 1000,
        "max_ms": latency["max"] / 1000, "mean_ms": round(latency["mean"] / 1000, 3),
        "errors": errors, "non_2xx_3xx": figures["non_2xx_3xx"], "timeouts": figures["timeouts"],
        "repeated_requests": figures["laps"] > 0,
    }
