"""A PostgreSQL server of the test's own, so that it can be restarted under load.

The machine's server is shared by everyone and must never be restarted; this one lives in
a temporary directory owned by the `postgres` account, listens on a free port of
127.0.0.1 with trust authentication, and is removed afterwards.
"""

import glob
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bench.servers import free_port


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """initdb, start, restart and stop one throwaway PostgreSQL cluster (run as `postgres`)."""

    def __init__(self):
        self.bin = _bin_dir()
        if self.bin is None or shutil.which("runuser") is None:
            pytest.skip("no PostgreSQL server binaries (pg_ctl) or runuser here to start a private server")
        # Not under pytest's tmp_path: the postgres account cannot enter root's 0700 folders.
        self.dir = Path(tempfile.mkdtemp(prefix="pp_h5_pg_"))
        self.data = self.dir / "data"
        self.port = free_port()
        shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, tool: str, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
                              capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        if done.returncode:
            raise RuntimeError(f"{tool} {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "server.log"), "-w",
                  *extra, action)

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server ("fast": every connection is cut, as on a restart or fail-over)."""
        self._ctl("stop", "-m", mode)

    def create_database(self, name: str) -> str:
        """Create a database; return its SQLAlchemy URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.dir, ignore_errors=True)
