"""Forms of the learn blueprint: POST-only buttons that carry just the CSRF token."""

from flask_wtf import FlaskForm


class CompleteLessonForm(FlaskForm):
    """The "Mark as complete and continue" button at the end of a lesson."""
