"""API endpoints, one module per concept; importing them attaches them to bp."""

from . import accounts, answers, comments, escalations, metrics, notifications, openapi, questions, votes  # noqa: F401
from . import ideas  # noqa: F401,E402
