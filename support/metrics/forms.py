"""The administrator's form for the deflection estimate's configuration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, StringField
from wtforms.validators import InputRequired, Length

from .config import DEFAULTS, deflection_config

_REQUIRED = [InputRequired(message=_l("Enter a number."))]


class DeflectionSettingsForm(FlaskForm):
    """Every key of the configuration; the ranges are checked by config.validate."""

    cost_per_ticket = FloatField(_l("Cost of a ticket (live channel, per contact)"), validators=_REQUIRED,
                                 description=_l("Default 8.01: live channel cost per contact, Gartner 2019."))
    cost_per_self_service = FloatField(_l("Cost of a self-service contact"), validators=_REQUIRED,
                                       description=_l("Default 0.10 (Gartner 2019). Must be below the ticket cost."))
    currency = StringField(_l("Currency (three-letter code)"), validators=[InputRequired(), Length(min=3, max=3)])
    window_days = IntegerField(_l("W: escalation window and provisional period (days)"), validators=_REQUIRED)
    dwell_seconds = IntegerField(_l("T_dwell: seconds a thread must be visible to count as a view"),
                                 validators=_REQUIRED)
    max_views_per_hour = IntegerField(_l("Most views per hour by one visitor (more drops that visitor's day)"),
                                      validators=_REQUIRED)
    cap_per_visitor = IntegerField(_l("Most help episodes per visitor per period"), validators=_REQUIRED)
    n_min = IntegerField(_l("Answers needed before a rate is measured rather than assumed"), validators=_REQUIRED)
    prior_r = FloatField(_l("Prior for r (found an answer)"), validators=_REQUIRED)
    prior_c_r = FloatField(_l("Prior for c_r (readers who would have contacted support)"), validators=_REQUIRED)
    prior_c_q = FloatField(_l("Prior for c_q (askers who would have contacted support)"), validators=_REQUIRED)
    holdout_share = FloatField(_l("Holdout share of ask flows shown no suggestions"), validators=_REQUIRED)

    @classmethod
    def from_settings(cls):
        """Build the form filled with the configuration in force."""
        return cls(data=deflection_config())

    def values(self) -> dict:
        """Return the submitted configuration, one entry per key of DEFAULTS."""
        values = {key: self[key].data for key in DEFAULTS}
        values["currency"] = (values["currency"] or "").strip().upper()
        return values
