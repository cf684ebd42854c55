"""Checks of what members type, shared by every service."""

import re
import unicodedata

from flask import current_app
from flask_babel import gettext as _

from ..errors import Invalid

# Largest id the integer id columns hold (PostgreSQL `integer`); larger ids cannot exist.
MAX_ID = 2**31 - 1
TAG_RE = re.compile(r"^[a-z0-9àèéìíòóù][a-z0-9àèéìíòóù+.\-]{0,31}$")


def clean_text(value) -> str:
    """Strip control characters (but newlines and tabs) and surrounding space."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_("Expected text."))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    ).strip()


def is_id(value) -> bool:
    """Return whether a value can be the id of a stored row (a positive int that fits the column)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def check_length(field: str, value: str, minimum: int, maximum: int) -> str:
    """Return the cleaned value, or raise Invalid naming the field."""
    value = clean_text(value)
    if len(value) < minimum:
        if not value:
            raise Invalid(_("This field is required."), fields={field: _("This field is required.")})
        msg = _("Please write at least %(n)d characters.", n=minimum)
        raise Invalid(msg, fields={field: msg})
    if len(value) > maximum:
        msg = _("Please keep it under %(n)d characters.", n=maximum)
        raise Invalid(msg, fields={field: msg})
    return value


def title(value) -> str:
    return check_length("title", value, 10, 200)


def body(value, minimum=20) -> str:
    return check_length("body", value, minimum, current_app.config["MAX_POST_LENGTH"])


def comment_body(value) -> str:
    return check_length("body", value, 2, 600)


def tags(values, required=True, maximum=5, field="tags") -> list[str]:
    """Normalise a list (or comma/space separated string) of tag names: 1 to `maximum`.

    Problems are reported under `field`, the name the form or JSON body uses.
    """
    if values is None:
        values = []
    if isinstance(values, str):
        values = re.split(r"[,\s]+", values)
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise Invalid(_("Tags must be a list of words."), fields={field: _("Tags must be a list of words.")})
    names = []
    for raw in values:
        name = clean_text(raw).lower().lstrip("#")
        if not name:
            continue
        if not TAG_RE.match(name):
            msg = _("“%(tag)s” is not a valid tag: use letters, digits and dashes, at most 32.", tag=name[:40])
            raise Invalid(msg, fields={field: msg})
        if name not in names:
            names.append(name)
    if required and not names:
        msg = _("Add at least one tag.")
        raise Invalid(msg, fields={field: msg})
    if len(names) > maximum:
        msg = _("Use at most %(n)d tags.", n=maximum)
        raise Invalid(msg, fields={field: msg})
    return names
