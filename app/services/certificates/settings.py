"""What the certificate area is configured with: the evaluation questions, the provider,
signer, logo and credit lines printed; its error type and its collaborators."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import current_app
from werkzeug.routing import BuildError

from certificates.model import CreditLine, ProviderInfo, Signer
from modules import Course

MAX_REASON_LENGTH = 500


class CertificateError(ValueError):
    """A certificate rule was broken; the message is safe to show the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ------------------------------------------------------------------ configuration defaults

DEFAULT_EVALUATION_QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "key": "objectives_met",
        "label": "The course met its stated learning objectives.",
        "kind": "scale",
        "required": True,
    },
    {
        "key": "relevance",
        "label": "The content is relevant to my practice.",
        "kind": "scale",
        "required": True,
    },
    {
        "key": "free_of_bias",
        "label": "The course was free of commercial bias.",
        "kind": "yesno",
        "required": True,
        "comment": "If not, tell us where you saw bias.",
    },
    {
        "key": "comments",
        "label": "Any other comments or suggestions?",
        "kind": "text",
        "required": False,
    },
)

SCALE_CHOICES: tuple[tuple[str, str], ...] = (
    ("5", "Strongly agree"),
    ("4", "Agree"),
    ("3", "Neutral"),
    ("2", "Disagree"),
    ("1", "Strongly disagree"),
)

DEFAULT_SIGNER_NAME = "Dana Okafor, DNP, RN"
DEFAULT_SIGNER_TITLE = "Director of Continuing Education"


@dataclass(frozen=True, slots=True)
class Question:
    """One evaluation question: kind is scale (1-5 agreement), yesno or text."""

    key: str
    label: str
    kind: str
    required: bool = True
    comment: str | None = None  # a yesno question may ask for a comment


def evaluation_questions() -> tuple[Question, ...]:
    """Questions from app.config EVALUATION_QUESTIONS (list of dicts) or the defaults."""
    raw = current_app.config.get("EVALUATION_QUESTIONS", DEFAULT_EVALUATION_QUESTIONS)
    questions = []
    for item in raw:
        q = Question(
            key=str(item["key"]),
            label=str(item["label"]),
            kind=str(item.get("kind", "text")),
            required=bool(item.get("required", True)),
            comment=item.get("comment"),
        )
        if q.kind not in {"scale", "yesno", "text"}:
            raise ValueError(f"evaluation question {q.key!r}: unknown kind {q.kind!r}")
        questions.append(q)
    return tuple(questions)


# ------------------------------------------------------------------ collaborators


def _learning() -> ModuleType:
    from app.services import learning  # provided by the learn area

    return learning


def _quizzes() -> ModuleType:
    from app.services import quiz  # provided by the quiz area

    return quiz


def get_course() -> Course:
    """The published course as the learn area serves it."""
    course: Course = _learning().get_course()
    return course


def _path(endpoint: str, fallback: str, **values: Any) -> str:
    """A site-relative link that works inside or outside a request (CLI, tests)."""
    try:
        return current_app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:
        return fallback


# ------------------------------------------------------------------ what is printed


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def provider_info(base_url: str) -> ProviderInfo:
    """The CE provider as configured (name, address, accreditation statements)."""
    cfg = current_app.config
    statement = cfg.get("ACCREDITATION_STATEMENT")
    statements = statement if isinstance(statement, list | tuple) else [statement]
    return ProviderInfo(
        name=cfg["PROVIDER_NAME"],
        address=cfg.get("PROVIDER_ADDRESS", ""),
        url=cfg.get("PROVIDER_URL") or base_url,
        accreditation_statements=tuple(s for s in statements if s),
        joint_accreditation_statement=cfg.get("JOINT_ACCREDITATION_STATEMENT"),
    )


def signer_info() -> Signer:
    """The configured signatory of certificates."""
    cfg = current_app.config
    image = cfg.get("CERTIFICATE_SIGNATURE_PNG")  # a path; its bytes go into the snapshot
    data = Path(image).read_bytes() if image else None
    return Signer(
        name=cfg.get("CERTIFICATE_SIGNER_NAME", DEFAULT_SIGNER_NAME),
        title=cfg.get("CERTIFICATE_SIGNER_TITLE", DEFAULT_SIGNER_TITLE),
        signature_png=data,
    )


def logo_png() -> bytes | None:
    """The configured certificate logo, if any."""
    path = current_app.config.get("CERTIFICATE_LOGO_PNG")
    return Path(path).read_bytes() if path else None


def credit_lines(profession: str, amount: Decimal) -> tuple[CreditLine, ...]:
    """Every configured credit type (CREDIT_TYPES, read by the learn area) with the amount
    claimed; the learner's own profession's line comes first."""
    types = sorted(_learning().credit_types(), key=lambda t: profession not in t.professions)
    return tuple(CreditLine(t.label, amount, t.unit, uan=t.uan) for t in types)
