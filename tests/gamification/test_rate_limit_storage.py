"""Login and registration limits per IP, in memory embedded and in Redis when scaled out."""

import uuid

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(params=["memory", "redis"])
def app_config(request, app_config):
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379 (CI starts it)")
        app_config["RATELIMIT_STORAGE_URI"] = REDIS_URL
        # A fresh key prefix per test: runs never see each other's counters.
        app_config["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    app_config["RATELIMIT_ENABLED"] = True
    return app_config


def test_login_limit_per_ip(client, app):
    for _ in range(6):
        response = client.post("/login", {"login": "nobody", "password": "wrong password"}, csrf_from="/login")
        assert response.status_code == 200
    blocked = client.post("/login", {"login": "nobody", "password": "wrong password"}, csrf_from="/login")
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        keys = redis.Redis.from_url(REDIS_URL).keys(f"*{app.config['RATELIMIT_KEY_PREFIX']}*")
        assert keys, "the counters live in Redis"


def test_registration_limit_per_ip(client):
    statuses = []
    for i in range(4):
        response = client.post("/register", {
            "username": f"nuovo{i}", "email": f"nuovo{i}@example.com", "password": "una password lunga",
            "confirm": "una password lunga", "locale": "it",
        }, csrf_from="/register")
        statuses.append(response.status_code)
        client.logout()
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3] == 429
