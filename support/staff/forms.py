"""Forms of the staff pages, and of the support actions on the question page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..models.staff import RESOLUTIONS


def resolution_labels() -> dict:
    """Return the words a person reads for each way an escalation can be resolved."""
    return {
        "community_answer": _l("By a community answer"),
        "staff_answer": _l("By a staff answer"),
        "outside": _l("Outside the community (phone, email, shop)"),
    }


def _int_or_none(value):
    """Coerce a select's value without turning nonsense into a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class EscalateForm(FlaskForm):
    reason = TextAreaField(_l("What is still missing? (optional)"), id="escalate-reason",
                           validators=[Optional(), Length(max=2000)])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Private note"), id="note-body", validators=[DataRequired(), Length(min=2, max=5000)],
                         description=_l("Only support staff see notes. Markdown works."))


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Owner"), coerce=_int_or_none, validate_choice=False,
                              validators=[InputRequired(message=_l("Choose a member of the support staff."))])

    def fill(self, staff):
        """Offer every active staff member."""
        self.assignee_id.choices = [SelectChoice(u.id, u.shown_name) for u in staff]
        return self


class ResolveForm(FlaskForm):
    resolution = SelectField(_l("How was it resolved?"), validate_choice=False,
                             choices=[SelectChoice(key, resolution_labels()[key]) for key in RESOLUTIONS])
    note = TextAreaField(_l("Closing note (optional, private)"), id="resolve-note", validators=[Optional(), Length(max=5000)])


class CsatForm(FlaskForm):
    score = RadioField(_l("How satisfied are you?"), id="csat-score", coerce=_int_or_none, validate_choice=False,
                       choices=[SelectChoice(n, str(n)) for n in range(1, 6)],
                       validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))])
    comment = TextAreaField(_l("Anything to add? (optional)"), id="csat-comment", validators=[Optional(), Length(max=1000)])


class LadderForm(FlaskForm):
    expert_minutes = IntegerField(_l("Offer to experts after (minutes without an answer)"), validators=[InputRequired()])
    escalate_hours = IntegerField(_l("Escalate to staff after (hours unsolved)"), validators=[InputRequired()])
    sla_hours = IntegerField(_l("Staff answer within (hours, the SLA)"), validators=[InputRequired()])
    window_days = IntegerField(_l("Only questions younger than (days)"), validators=[InputRequired()])


class WebhookForm(FlaskForm):
    url = StringField(_l("Helpdesk webhook URL"), validators=[Optional(), Length(max=500)],
                      description=_l("Leave empty to switch the webhook off."))
    secret = PasswordField(_l("Signing secret"), validators=[Optional(), Length(max=200)],
                           description=_l("At least 16 characters. Leave empty to keep the stored secret."))
