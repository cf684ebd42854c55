"""Rate limits on the account endpoints (switched off in the other tests)."""

import pytest

from ..factories import PASSWORD


@pytest.fixture
def app_config(app_config):
    limits = {"LOGIN_RATE_LIMIT": "3 per minute", "REGISTER_RATE_LIMIT": "2 per hour"}
    return {**app_config, "RATELIMIT_ENABLED": True, **limits}


def test_token_requests_are_limited_with_retry_after(api, make):
    make.user(username="maria")
    for _ in range(3):
        assert api.post("/api/v1/auth/token", json={"username": "maria", "password": "guess"}).status_code == 401

    response = api.post("/api/v1/auth/token", json={"username": "maria", "password": PASSWORD})

    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_registrations_are_limited(api):
    for n in range(2):
        body = {"username": f"nuovo{n}", "email": f"nuovo{n}@example.com", "password": "lampone-verde-42"}
        assert api.post("/api/v1/auth/register", json=body).status_code == 201
    body = {"username": "nuovo9", "email": "nuovo9@example.com", "password": "lampone-verde-42"}
    response = api.post("/api/v1/auth/register", json=body)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
