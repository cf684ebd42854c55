"""Page-test fixtures: a browser-like client whose every request runs as on a real server.

The pages are read in English here (browsers send Accept-Language: en, members prefer
English): the wording the tests check is the English source; translations are checked
by their own tests.
"""

import functools

import pytest

from ..conftest import PageClient


@pytest.fixture
def browser(app):
    """Return a function that opens a new, independent browser (its own cookies)."""
    def open_browser(language="en"):
        test_client = app.test_client()
        test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        return PageClient(test_client)

    return open_browser


@pytest.fixture
def client(browser):
    return browser()


@pytest.fixture
def make(make):
    """The factories, with members who read the site in English unless told otherwise."""
    make.user = functools.partial(type(make).user, make, locale="en")
    return make
