"""The CSRF-only form behind every "prepare this download" button."""

from flask_wtf import FlaskForm


class StartJobForm(FlaskForm):
    """No fields: the button's URL and hidden filter fields say what to build."""
