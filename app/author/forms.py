"""Authoring forms. Shape only: content rules are the engine's (see services.author)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.services.author import (
    GUIDELINE_CHOICES,
    MODULE_CHOICES,
    PROFESSION_CHOICES,
    RISK_CHOICES,
    SCENARIO_FIELDS,
    TYPE_CHOICES,
)
from quizzes.model import MODULES


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(v, label) for v, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ScenarioForm(FlaskForm):
    id = StringField(
        "Id",
        validators=[DataRequired(), Length(max=96)],
        description="Lowercase letters, digits and dashes, e.g. night-shift-selfie. "
        "It cannot change later.",
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    type = SelectField("Response type", choices=_choices(TYPE_CHOICES))
    rubric = SelectField("Rubric", choices=[], validate_choice=False)
    profession = SelectField("Profession", choices=_choices(PROFESSION_CHOICES))
    platform = StringField(
        "Platform",
        validators=[DataRequired(), Length(max=100)],
        description="Where it happens: Instagram, a staff group chat…",
    )
    module = SelectField(
        "Module",
        choices=_choices(MODULE_CHOICES),
        description="The module whose quiz may use it, or 'final' (final assessment only).",
    )
    guidelines = MultiCheckboxField("Guidelines assessed", choices=_choices(GUIDELINE_CHOICES))
    risks = MultiCheckboxField("Risks", choices=_choices(RISK_CHOICES))
    situation = TextAreaField(
        "Situation",
        validators=[DataRequired()],
        description="The story the learner reads (Markdown).",
    )
    prompt = StringField("Prompt", validators=[DataRequired(), Length(max=500)])
    debrief = TextAreaField(
        "Debrief",
        validators=[DataRequired()],
        description="Shown after submission: the model answer and why (Markdown).",
    )
    criteria = StringField(
        "Assessed criteria",
        validators=[DataRequired()],
        description="Criterion ids of the rubric, separated by commas.",
    )
    body = TextAreaField(
        "Options, mapping and concepts (YAML)",
        validators=[DataRequired()],
        description="The part that depends on the response type; see the educators' guide.",
        render_kw={"rows": 22, "spellcheck": "false", "class": "code"},
    )

    COMMON = SCENARIO_FIELDS

    def common_fields(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.COMMON}


class RubricForm(FlaskForm):
    id = StringField(
        "Id",
        validators=[DataRequired(), Length(max=96)],
        description="Lowercase letters, digits and dashes. It cannot change later.",
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        "Description",
        validators=[Optional()],
        description="When to use this rubric.",
        render_kw={"rows": 3},
    )
    body = TextAreaField(
        "Criteria (YAML)",
        validators=[DataRequired()],
        description="Criteria with guidelines, weight, critical flag and levels "
        "(points, descriptor, feedback), lowest level first.",
        render_kw={"rows": 26, "spellcheck": "false", "class": "code"},
    )

    def common_fields(self) -> dict[str, Any]:
        return {"id": self.id.data, "title": self.title.data, "description": self.description.data}


class EmptyForm(FlaskForm):
    """A POST button: only the CSRF token."""


class PreviewForm(FlaskForm):
    choice = RadioField("Your answer", choices=[], validate_choice=False)
    choices = MultiCheckboxField("Select all that apply", choices=[], validate_choice=False)
    text = TextAreaField("Your answer", validators=[Length(max=10_000)])


QUIZ_MODULE_CHOICES = [(m, m) for m in MODULES] + [("final", "final assessment")]


class QuizForm(FlaskForm):
    quiz_key = StringField(
        "Quiz id",
        validators=[DataRequired(), Length(max=96)],
        description="Lowercase slug, e.g. quiz-04-risks.",
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    module = SelectField("Module", choices=_choices(QUIZ_MODULE_CHOICES))
    scenarios = TextAreaField(
        "Scenarios, in order",
        validators=[DataRequired()],
        description="One scenario id per line, in the order learners see them when the order "
        "is fixed.",
        render_kw={"rows": 8, "spellcheck": "false", "class": "code"},
    )
    order = RadioField(
        "Order",
        choices=_choices([("fixed", "Fixed (as listed)"), ("random", "Random for each attempt")]),
    )
    pass_mark = DecimalField(
        "Pass mark",
        places=2,
        validators=[InputRequired(), NumberRange(0, 1)],
        description="A fraction from 0 to 1, e.g. 0.8.",
    )
    max_attempts = IntegerField(
        "Attempts per window", validators=[InputRequired(), NumberRange(1, 100)]
    )
    cooldown_hours = DecimalField(
        "Cool-down (hours)", places=1, validators=[InputRequired(), NumberRange(0, 24 * 365)]
    )
    keep = RadioField(
        "Score that counts",
        choices=_choices([("best", "Best attempt"), ("latest", "Latest attempt")]),
    )
    review = SelectField(
        "Educator review of written answers",
        choices=_choices(
            [
                ("low-confidence", "Low-confidence answers"),
                ("all", "All written answers"),
                ("none", "None"),
            ]
        ),
    )


class ImportForm(FlaskForm):
    files = MultipleFileField(
        "Bank files",
        description="A .zip of the bank folder (rubrics/, scenarios/, quizzes.yaml) or one or "
        "more .yaml files. At most 2 MB.",
        render_kw={"accept": ".zip,.yaml"},
    )


class ReviewForm(FlaskForm):
    note = TextAreaField(
        "Note",
        validators=[DataRequired(message="Write a note saying why.")],
        description="Why you confirmed or changed the levels. Kept in the audit trail.",
        render_kw={"rows": 3},
    )


class PersonForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    action = HiddenField(default="grant")
