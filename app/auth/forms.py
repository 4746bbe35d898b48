"""Account forms. Validation here is about shape; account rules live in services.accounts."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.models import Profession

PROFESSION_CHOICES = [SelectChoice(p.value, p.label) for p in Profession]


class ProfileFields:
    """Mixin for the CE profile fields shared by registration and the profile page."""

    print_name = StringField(
        "Name as printed on certificates",
        validators=[DataRequired(), Length(max=200)],
        description="Any script is fine: Zoë Ñúñez, Ελένη, Анна, Nguyễn Văn An, 王小明.",
    )
    credentials = StringField(
        "Credentials", validators=[Optional(), Length(max=100)], description="e.g. RN, MD, PharmD"
    )
    profession = SelectField("Profession", choices=PROFESSION_CHOICES)
    licence_number = StringField(
        "Licence number (optional)",
        validators=[Optional(), Length(max=64)],
        description="Kept for credit reporting; never printed on a certificate.",
    )
    licence_state = StringField(
        "Licence state or country (optional)", validators=[Optional(), Length(max=64)]
    )


class RegisterForm(ProfileFields, FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=10, max=256)],
        description="At least 10 characters.",
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )


class ProfileForm(ProfileFields, FlaskForm):
    pass


class LoginForm(FlaskForm):
    # No format check here: sign-in must work for any stored address, and a format error
    # would tell a prober nothing useful anyway.
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=10, max=256)])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST-only buttons such as sign out."""
