"""Institution admin forms. Shape only; the rules live in services.institutions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class RosterForm(FlaskForm):
    roster = FileField(
        "Roster file (CSV)",
        validators=[FileRequired("Choose a CSV file to upload.")],
        description=(
            "Columns: email, name, department, profession, credentials, and optionally "
            "employee_id. UTF-8, up to 16 MB (about 200,000 rows; at most 100,000 people)."
        ),
    )


class InviteForm(FlaskForm):
    department = SelectField("Department (optional)", coerce=str, validators=[Optional()])
    days_valid = IntegerField(
        "Valid for (days)", default=14, validators=[DataRequired(), NumberRange(1, 365)]
    )
    max_uses = IntegerField(
        "Maximum uses (optional)",
        validators=[Optional(), NumberRange(1, 100_000)],
        description="Leave empty for no limit.",
    )


class AssignmentForm(FlaskForm):
    department = SelectField("Assign to", coerce=str, validators=[Optional()])
    due_date = DateField("Due date", validators=[DataRequired()])
    recurrence = SelectField(
        "Repeats",
        choices=[SelectChoice("none", "Does not repeat"), SelectChoice("yearly", "Every year")],
    )


class DepartmentForm(FlaskForm):
    name = StringField("Department name", validators=[DataRequired(), Length(max=200)])


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=100)],
        description="What will use it, e.g. 'HR system nightly sync'.",
    )


class JoinForm(FlaskForm):
    """Only the CSRF token: joining is a POST button."""


class EmptyForm(FlaskForm):
    """CSRF-only form for POST buttons (revoke, delete, reset link)."""
