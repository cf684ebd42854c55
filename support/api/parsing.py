"""Reading what a client sends: query arguments and the JSON body, checked for shape.

Shape problems (not JSON, not an object, a field of the wrong type) are 400; values of
the right type that break a rule are the services' business and come back as 422.
"""

import json

from flask import request
from flask_babel import gettext as _

from ..errors import Invalid, ServiceError
from ..services.validation import clean_text


class Malformed(ServiceError):
    status = 400
    code = "malformed"


def _is_clean_text(value: str) -> bool:
    # NUL and lone surrogates are valid JSON escapes, but no database or hash can take them.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _problem(value, kind) -> str | None:
    """Return why `value` is not of `kind` (str, int, bool or list[str]), or None."""
    if kind == list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _("Must be a list of texts.")
        return None if all(_is_clean_text(v) for v in value) else _("Contains characters that are not allowed.")
    if kind is str:
        if not isinstance(value, str):
            return _("Must be text.")
        return None if _is_clean_text(value) else _("Contains characters that are not allowed.")
    if kind is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else _("Must be a whole number.")
    if kind is bool:
        return None if isinstance(value, bool) else _("Must be true or false.")
    raise TypeError(f"json_body cannot check {kind!r}")


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def _load_object() -> dict:
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH this raises 413
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Malformed(_("The body is not valid JSON in UTF-8.")) from None
    if not isinstance(data, dict):
        raise Malformed(_("The body must be a JSON object."))
    return data


def json_body(required: dict | None = None, optional: dict | None = None) -> dict:
    """Return the declared fields of the JSON body after checking their types.

    `required` and `optional` map field names to str, int, bool or list[str]. Absent
    optional fields come back as None; undeclared fields are dropped, never applied.
    """
    required, optional = required or {}, optional or {}
    data = _load_object()
    problems = {name: _problem(data[name], kind) for name, kind in {**required, **optional}.items() if name in data}
    wrong = {name: problem for name, problem in problems.items() if problem}
    if wrong:
        raise Malformed(_("Some fields have the wrong type."), fields=wrong)
    missing = {name: _("This field is required.") for name in required if name not in data}
    if missing:
        raise Invalid(_("Some required fields are missing."), fields=missing)
    return {name: data.get(name) for name in (*required, *optional)}


def query_choice(name: str, choices, default=None):
    """Return the query argument `name` if it is one of `choices`, the default if absent."""
    value = request.args.get(name) or default
    if value is not None and value not in choices:
        msg = _("Choose one of: %(choices)s.", choices=", ".join(choices))
        raise Invalid(msg, fields={name: msg})
    return value


def query_tag() -> str | None:
    """Return the ?tag= filter as a tag name (lower case, at most 32 characters), or None."""
    return clean_text(request.args.get("tag")).lower().lstrip("#")[:32] or None
