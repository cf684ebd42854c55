"""Forms of the ideas pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


def status_labels() -> dict:
    """Return the words a person reads for each status of an idea."""
    return {
        "new": _l("Awaiting response"),
        "under_review": _l("Under review"),
        "planned": _l("Planned"),
        "in_progress": _l("In progress"),
        "delivered": _l("Delivered"),
        "declined": _l("Declined"),
    }


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("The improvement in one sentence, e.g. “Let me swap my SIM from the app”."),
    )
    body = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(min=20, max=30000)],
        description=_l("What would change for you, and why it matters. Markdown works."),
    )
    tags = StringField(
        _l("Tags"), validators=[DataRequired(), Length(max=200)],
        description=_l("1 to 5 words separated by spaces or commas, e.g. app sim"),
    )


class IdeaCommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), id="idea-comment", validators=[DataRequired(), Length(min=2, max=2000)])


class StatusForm(FlaskForm):
    # Validation of the status and the response is the service's: its 422 shows next to the field.
    status = SelectField(_l("New status"), id="idea-status", validate_choice=False)
    response = TextAreaField(
        _l("Public response"), id="idea-response",
        description=_l("Required: the author, the voters and the followers read it. Say why, and what comes next."),
    )

    def fill(self, statuses):
        """Offer every status staff can set (all but "awaiting response")."""
        labels = status_labels()
        self.status.choices = [SelectChoice(s, labels[s]) for s in statuses if s != "new"]
        return self


class MergeForm(FlaskForm):
    kept_id = IntegerField(_l("Merge into idea number"), id="merge-kept",
                           validators=[InputRequired(message=_l("Give the number of the idea to keep."))],
                           description=_l("This idea is a duplicate: its votes and followers move to the kept idea."))


class IdeasSettingsForm(FlaskForm):
    open_votes = IntegerField(_l("Open votes per member"), id="open-votes",
                              validators=[InputRequired(), NumberRange(min=1, max=100)])
    waiting_days = IntegerField(_l("Flag ideas without a response after (days)"), id="waiting-days",
                                validators=[InputRequired(), NumberRange(min=1, max=365)])
