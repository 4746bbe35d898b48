"""The draft-post form."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.services.privacy_check import MAX_POST_CHARS


class CheckPostForm(FlaskForm):
    text = TextAreaField(
        "Your draft post",
        validators=[
            DataRequired(message="Paste or type the post you want to check."),
            Length(max=MAX_POST_CHARS),
        ],
        description="Nothing you type here is saved. Checked on this server, never sent elsewhere.",
    )
