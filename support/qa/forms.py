"""Forms of the Q&A pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional


class AskForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("Say the problem in one sentence, as you would tell a friend."),
    )
    body = TextAreaField(
        _l("Details"),
        validators=[DataRequired(), Length(min=20, max=30000)],
        description=_l("What happened, what you tried, which phone or app. Markdown works."),
    )
    tags = StringField(
        _l("Tags"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("1 to 5 words separated by spaces, e.g. sim roaming"),
    )


class EditQuestionForm(AskForm):
    summary = StringField(_l("What did you change?"), validators=[Optional(), Length(max=200)])


class AnswerForm(FlaskForm):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(min=10, max=30000)])


class EditAnswerForm(AnswerForm):
    summary = StringField(_l("What did you change?"), validators=[Optional(), Length(max=200)])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(min=2, max=600)])


class VoteForm(FlaskForm):
    value = HiddenField(validators=[AnyOf(["1", "-1", "0"])])
