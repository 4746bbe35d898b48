"""Certificate forms. Shape checks only; the rules live in services.certificates."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.services.certificates import SCALE_CHOICES, Question

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
SCALE = [SelectChoice(value, label) for value, label in SCALE_CHOICES]


class EvaluationFormBase(FlaskForm):
    """Fields every evaluation carries; the configured questions are added per request."""

    minutes = IntegerField(
        "Minutes you spent on the course",
        validators=[InputRequired(message="Enter the minutes you spent."), NumberRange(min=1)],
    )
    attest = BooleanField(
        "I attest that this is the time I actually spent on the course, including the evaluation.",
        validators=[DataRequired(message="Tick the box to confirm your attestation.")],
    )


def evaluation_form(questions: Sequence[Question], max_minutes: int) -> EvaluationFormBase:
    """A form class built from the configured questions (EVALUATION_QUESTIONS)."""

    class EvaluationForm(EvaluationFormBase):
        pass

    for q in questions:
        required = [InputRequired(message="Answer this question.")] if q.required else [Optional()]
        if q.kind == "scale":
            field = RadioField(q.label, choices=SCALE, validators=required)
        elif q.kind == "yesno":
            field = RadioField(q.label, choices=YES_NO, validators=required)
        else:
            field = TextAreaField(q.label, validators=[*required, Length(max=4000)])
        setattr(EvaluationForm, q.key, field)
        if q.comment:
            setattr(
                EvaluationForm,
                f"{q.key}_comment",
                TextAreaField(q.comment, validators=[Optional(), Length(max=4000)]),
            )
    form = EvaluationForm()
    form.minutes.description = (
        f"Count whole minutes. Credit is given in quarter hours, up to {max_minutes} minutes "
        f"({max_minutes / 60:g} hours)."
    )
    return form


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(message="Give a reason."), Length(max=500)],
        description="Shown on the public verify page for a revocation; kept in the audit log.",
    )


class StaffSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        "Certificate number or learner email",
        validators=[DataRequired(), Length(max=254)],
    )


class EmptyForm(FlaskForm):
    """Only the CSRF token, for POST buttons (start a new cycle)."""
