"""The administrator's form for the points table, the daily cap and serial-vote detection."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from .antiabuse import thresholds
from .rules import DEFAULT_POINTS, daily_cap, points_table

EDITABLE = [reason for reason in DEFAULT_POINTS if reason not in ("joined", "adjustment")]


class PointsSettingsForm(FlaskForm):
    daily_cap = IntegerField(_l("Daily cap on points from votes"), validators=[InputRequired(), NumberRange(0, 10_000)])
    serial_threshold = IntegerField(_l("Serial votes: votes on one author's posts"), validators=[InputRequired(), NumberRange(2, 1000)])
    serial_window = IntegerField(_l("Serial votes: within minutes"), validators=[InputRequired(), NumberRange(1, 1440)])

    @classmethod
    def from_settings(cls):
        """Build the form with a field per reason, filled with the values in force."""
        attrs = {
            f"points_{reason}": IntegerField(DEFAULT_POINTS[reason][2], validators=[InputRequired(), NumberRange(-1000, 1000)])
            for reason in EDITABLE
        }
        form_class = type("PointsSettingsFormBound", (cls,), attrs)
        table = points_table()
        limits = thresholds()
        data = {f"points_{r}": table[r] for r in EDITABLE}
        data.update(daily_cap=daily_cap(), serial_threshold=limits["threshold"], serial_window=limits["window_minutes"])
        return form_class(data=data)

    def reason_fields(self):
        return [getattr(self, f"points_{reason}") for reason in EDITABLE]
