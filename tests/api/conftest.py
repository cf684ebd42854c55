"""API fixtures: every response a test receives is checked against the OpenAPI document."""

import pytest

from ..conftest import ApiClient
from .contract import check_response


class CheckedApiClient(ApiClient):
    """The ApiClient of tests/conftest.py whose every response must match the document."""

    def acting(self, user):
        """Act as `user`, or anonymously for None."""
        return self.as_user(user) if user is not None else self.anonymous()

    def request(self, method, path, json=None, headers=None, **kwargs):
        response = super().request(method, path, json=json, headers=headers, **kwargs)
        check_response(self.client.application, method, path, response)
        return response


@pytest.fixture
def api(app):
    return CheckedApiClient(app.test_client())


@pytest.fixture
def person(make):
    """Return a function that creates the kind of member a test parameter names."""
    kinds = {
        "member": make.user,
        "helper": lambda: make.user(points=500),  # the Helper rank may edit others' posts
        "staff": make.staff,
        "admin": lambda: make.user(role="admin"),
        "anonymous": lambda: None,
    }
    return lambda kind: kinds[kind]()
