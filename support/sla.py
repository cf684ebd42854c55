"""The times of the escalation ladder, set by an administrator (defaults in ARCHITECTURE)."""

from datetime import timedelta

from flask_babel import gettext as _

from .errors import Invalid
from .services.settings import get_setting, set_setting

LADDER_KEY = "support.ladder"
# T1: offer an unanswered question to experts; T2: hand an unsolved one to staff;
# the staff SLA: resolve an escalation within this many hours; the window: questions
# older than this are history, not work (the ladder never escalates last year's threads).
DEFAULTS = {"expert_minutes": 30, "escalate_hours": 24, "sla_hours": 8, "window_days": 14}
LIMITS = {"expert_minutes": (1, 7 * 24 * 60), "escalate_hours": (1, 30 * 24), "sla_hours": (1, 30 * 24),
          "window_days": (1, 365)}


def ladder_settings() -> dict:
    stored = get_setting(LADDER_KEY, {}) or {}
    return {key: int(stored.get(key, default)) for key, default in DEFAULTS.items()}


def expert_after() -> timedelta:
    return timedelta(minutes=ladder_settings()["expert_minutes"])


def escalate_after() -> timedelta:
    return timedelta(hours=ladder_settings()["escalate_hours"])


def sla_delta() -> timedelta:
    return timedelta(hours=ladder_settings()["sla_hours"])


def save_ladder_settings(actor, values: dict) -> None:
    """Validate and store the ladder times (administrators only)."""
    cleaned, errors = {}, {}
    for key, (low, high) in LIMITS.items():
        value = values.get(key, DEFAULTS[key])
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[key] = _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
        else:
            cleaned[key] = value
    if not errors and cleaned["expert_minutes"] >= cleaned["escalate_hours"] * 60:
        errors["expert_minutes"] = _("Experts must be asked before the question goes to staff.")
    if errors:
        raise Invalid(next(iter(errors.values())), fields=errors)
    set_setting(actor, LADDER_KEY, cleaned)
