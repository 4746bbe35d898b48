"""Public verification forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class LookupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup changes nothing

    number = StringField(
        "Certificate number",
        validators=[DataRequired(message="Enter the certificate number."), Length(max=64)],
        description="As printed, e.g. PRX-7K3M-9QXD-2HVA-4. Case and dashes do not matter.",
    )


class CredentialForm(FlaskForm):
    token = TextAreaField(
        "Open Badge credential (VC-JWT)",
        validators=[DataRequired(message="Paste the credential."), Length(max=20000)],
        description="Paste the whole text of the .jwt file the learner shared with you.",
    )
