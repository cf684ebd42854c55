"""Behind nginx (TRUSTED_PROXIES=1): the client's address, scheme and host come from the proxy."""

import pytest

from support import create_app


@pytest.fixture
def proxied(app_config):
    return create_app({**app_config, "TRUSTED_PROXIES": 1})


HTTPS_VIA_NGINX = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
                   "X-Forwarded-Host": "community.example.com"}


def test_a_live_connection_through_the_proxy_passes_the_origin_check(proxied, app):
    handshake = "/socket.io/?EIO=4&transport=polling"
    through_proxy = proxied.test_client().get(
        handshake, headers={**HTTPS_VIA_NGINX, "Origin": "https://community.example.com"})
    forged = app.test_client().get(  # without a trusted proxy the headers mean nothing
        handshake, headers={**HTTPS_VIA_NGINX, "Origin": "https://community.example.com"})
    assert through_proxy.status_code == 200
    assert forged.status_code == 400


def test_the_client_address_is_the_one_nginx_saw(proxied):
    seen = {}

    @proxied.get("/_whoami")
    def whoami():
        from flask import request

        seen.update(addr=request.remote_addr, scheme=request.scheme, host=request.host)
        return "ok"

    proxied.test_client().get("/_whoami", headers=HTTPS_VIA_NGINX)
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "community.example.com"}
