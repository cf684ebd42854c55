"""The deflection estimate's configuration: an admin setting with the defaults of DEFLECTION.md."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..services.settings import get_setting, set_setting

SETTING_KEY = "metrics.deflection"

DEFAULTS = {
    "cost_per_ticket": 8.01,          # live channel cost per contact (Gartner 2019)
    "cost_per_self_service": 0.10,    # self-service cost per contact (Gartner 2019)
    "currency": "EUR",
    "window_days": 7,                 # W: escalation window, and how long a period stays provisional
    "dwell_seconds": 10,              # T_dwell
    "max_views_per_hour": 60,         # more than this by one visitor drops that visitor's day
    "cap_per_visitor": 8,             # help episodes counted per visitor per period
    "n_min": 30,                      # fewer answers than this: the rate falls back to its prior
    "prior_r": 0.48,
    "prior_c_r": 0.09,
    "prior_c_q": 0.23,
    "holdout_share": 0.05,            # share of ask flows (per visitor per period) shown no suggestions
}

# Where the suggested priors come from, printed under the report.
PRIOR_SOURCES = {
    "r": _l("share of help-centre visitors who found an answer, industry surveys (TSIA)"),
    "c_r": _l("Khoros' worked example: 9 readers in 100 would otherwise have contacted support"),
    "c_q": _l("askers who would otherwise have contacted support, industry surveys (ServiceXRG)"),
}

_NUMBERS = {
    # key: (type, low, high)
    "cost_per_ticket": (float, 0.0, 100000.0),
    "cost_per_self_service": (float, 0.0, 100000.0),
    "window_days": (int, 1, 90),
    "dwell_seconds": (int, 1, 600),
    "max_views_per_hour": (int, 1, 10000),
    "cap_per_visitor": (int, 1, 1000),
    "n_min": (int, 1, 100000),
    "prior_r": (float, 0.0, 1.0),
    "prior_c_r": (float, 0.0, 1.0),
    "prior_c_q": (float, 0.0, 1.0),
    "holdout_share": (float, 0.0, 0.5),
}


def deflection_config() -> dict:
    """The configuration in force: stored values over the defaults."""
    stored = get_setting(SETTING_KEY, {}) or {}
    return {key: stored.get(key, default) for key, default in DEFAULTS.items()}


def validate(values: dict) -> dict:
    """Return a complete, checked configuration or raise Invalid naming each bad field."""
    cleaned, errors = {}, {}
    for key, (kind, low, high) in _NUMBERS.items():
        value = values.get(key, DEFAULTS[key])
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
            errors[key] = _("Enter a number.")
            continue
        value = kind(value)
        if not low <= value <= high:
            errors[key] = _("Enter a value from %(low)s to %(high)s.", low=low, high=high)
            continue
        cleaned[key] = value
    currency = values.get("currency", DEFAULTS["currency"])
    if not isinstance(currency, str) or not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        errors["currency"] = _("Use a three-letter currency code such as EUR.")
    else:
        cleaned["currency"] = currency
    if "cost_per_ticket" in cleaned and "cost_per_self_service" in cleaned \
            and cleaned["cost_per_self_service"] >= cleaned["cost_per_ticket"]:
        errors["cost_per_self_service"] = _(
            "Self-service must cost less than a ticket; otherwise the community saves nothing to report.")
    if errors:
        raise Invalid(next(iter(errors.values())), fields=errors)
    return cleaned


def save_deflection_config(actor, values: dict) -> dict:
    """Check and store the configuration (administrators only)."""
    cleaned = validate({**deflection_config(), **values})
    set_setting(actor, SETTING_KEY, cleaned)
    return cleaned
