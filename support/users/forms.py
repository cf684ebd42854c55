"""Forms of the profile and settings pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class SettingsForm(FlaskForm):
    display_name = StringField(_l("Name shown to others"), validators=[Optional(), Length(max=64)])
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=1000)])
    locale = SelectField(_l("Language"), choices=[SelectChoice("it", "Italiano"), SelectChoice("en", "English")])
    contact_channel = RadioField(
        _l("How should we contact you?"),
        choices=[
            SelectChoice("in_app", _l("In the app")),
            SelectChoice("email", _l("Email")),
            SelectChoice("sms", _l("SMS")),
        ],
    )
    phone = StringField(_l("Mobile number (for SMS)"), validators=[Optional(), Length(max=32)])
    followed_tags = StringField(
        _l("Tags you follow"), validators=[Optional(), Length(max=500)],
        description=_l("Words separated by spaces; questions with these tags come first."),
    )
