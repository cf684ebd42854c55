"""Checking real responses against the OpenAPI document (used by every API test)."""

import re
from datetime import datetime, timedelta

from jsonschema import Draft202012Validator, FormatChecker
from werkzeug.exceptions import HTTPException

from support.api.openapi import DOCUMENT

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _utc_timestamp(value) -> bool:
    """Times are ISO 8601 in UTC (a Z or +00:00), with the date and the time."""
    return not isinstance(value, str) or ("T" in value and datetime.fromisoformat(value).utcoffset() == timedelta(0))


def validator(schema: dict) -> Draft202012Validator:
    """Return a validator for a schema of the document (its $refs resolve inside it)."""
    return Draft202012Validator({**schema, "components": DOCUMENT["components"]}, format_checker=FORMATS)


def path_template(rule: str) -> str:
    """Turn a Flask rule like /questions/<int:question_id> into /questions/{question_id}."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def documented_schema(app, method: str, path: str, status: int) -> dict:
    """Return the schema the document promises for this request and status (fail if none)."""
    adapter = app.url_map.bind("localhost")
    try:
        rule, _args = adapter.match(path.split("?")[0], method=method, return_rule=True)
    except HTTPException:
        assert status in (404, 405), f"{method} {path} matched no route but answered {status}"
        return {"$ref": "#/components/schemas/Error"}
    operation = DOCUMENT["paths"][path_template(rule.rule)][method.lower()]
    response = operation["responses"].get(str(status))
    assert response, f"{method} {rule.rule} answered {status}, which the OpenAPI document does not list"
    return response["content"]["application/json"]["schema"]


def check_response(app, method: str, path: str, response) -> None:
    """Assert a response is JSON shaped as the document says."""
    assert response.is_json, f"{method} {path} answered {response.status_code} without JSON"
    schema = documented_schema(app, method, path, response.status_code)
    errors = sorted(validator(schema).iter_errors(response.get_json()), key=str)
    assert not errors, f"{method} {path} {response.status_code}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )
