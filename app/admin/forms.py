"""Site admin forms. Shape only; the rules (slug format, uniqueness, logo checks, the last
site admin) live in app.services.admin, which names the field at fault."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.models import Role


class InstitutionForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        "Slug",
        validators=[DataRequired(), Length(max=64)],
        description="Its web address: /org/<slug>/. Lower-case letters, digits and hyphens.",
    )
    admin_email = EmailField(
        "First admin's email (optional)",
        validators=[Optional(), Email(), Length(max=254)],
        description="An existing account, or a new one that gets a link to set its password.",
    )
    admin_name = StringField(
        "First admin's name (for a new account)", validators=[Optional(), Length(max=200)]
    )


class RenameForm(FlaskForm):
    name = StringField("New name", validators=[DataRequired(), Length(max=200)])


class LogoForm(FlaskForm):
    logo = FileField(
        "Logo (PNG or JPEG)",
        validators=[FileRequired("Choose a PNG or JPEG file.")],
    )


class ProviderForm(FlaskForm):
    provider_name = StringField("Provider name", validators=[Optional(), Length(max=200)])
    provider_address = StringField("Provider address", validators=[Optional(), Length(max=300)])
    provider_url = StringField("Provider web address", validators=[Optional(), Length(max=300)])


class AdminEmailForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Name (for a new account)", validators=[Optional(), Length(max=200)])


class RoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(r.value, r.label) for r in Role if r is not Role.INSTITUTION_ADMIN],
    )


class MailTestForm(FlaskForm):
    email = EmailField("Send a test message to", validators=[DataRequired(), Length(max=254)])


class ConfirmForm(FlaskForm):
    """CSRF-only form for POST buttons and confirmation steps."""
