"""Quiz forms. The answer form's options are set per scenario; the service checks them."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class AnswerForm(FlaskForm):
    """One scenario's answer. `selected` holds radio or checkbox values; `action` is the
    button pressed (previous | next | review | save)."""

    selected = SelectMultipleField(choices=[], validate_choice=False)
    text = TextAreaField(validators=[Optional(), Length(max=10_000)])
    action = StringField()


class ActionForm(FlaskForm):
    """Only the CSRF token: start and submit buttons."""
