"""Fixtures of the reliability battery: one live server per test module.

A module may set `LIVE_ENV = {...}` (settings for its server, e.g. RATELIMIT_ENABLED) and
`LIVE_WORKERS` / `LIVE_THREADS`; its tests share the server and make fresh objects each.
The server runs on a database of its own per module and xdist worker (see live.py).
"""

import pytest

from .live import Client, LiveApp, drop_database, fresh_database


@pytest.fixture(scope="module")
def live_app(request, tmp_path_factory):
    """Passaparola under gunicorn on a fresh database; its log is printed if a test failed."""
    module = request.module
    name = module.__name__.rsplit(".", 1)[-1].removeprefix("test_")[:24]
    run_dir = tmp_path_factory.mktemp(f"live-{name}")
    url = fresh_database(run_dir, name)
    server = LiveApp(url, run_dir, workers=getattr(module, "LIVE_WORKERS", 2),
                     threads=getattr(module, "LIVE_THREADS", 8), **getattr(module, "LIVE_ENV", {}))
    failed_before = request.session.testsfailed
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if request.session.testsfailed > failed_before:
            print(f"\n===== gunicorn log ({name}, last 6000 characters) =====\n{server.logs()[-6000:]}")
        drop_database(url)


@pytest.fixture(scope="module")
def http(live_app):
    """A pooled JSON client of the module's server."""
    client = Client(live_app.base)
    yield client
    client.close()
