"""The certificate snapshot: everything a certificate prints, frozen at issue time.

A certificate must reprint exactly as issued years later, whatever happened to the course,
the provider settings or the learner's profile since. So the web layer stores this snapshot
(``to_dict()`` is JSON-safe) and every render reads only from it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DEFAULT_ACTIVITY_FORMAT = "Internet enduring material"
CREDIT_STEP = Decimal("0.25")
_CENTS = Decimal("0.01")


def _to_decimal(value: Decimal | int | str | float) -> Decimal:
    """Decimal from anything numeric; floats go through str so 1.5 stays exactly 1.5."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def claimable_credit(minutes_attested: int, max_hours: Decimal | int | str | float) -> Decimal:
    """Credit a learner may claim: 60 min = 1.0, nearest 0.25 (halves round up), capped.

    Learners claim only the credit matching their participation, never more than the maximum
    the activity was accredited for.
    """
    if isinstance(minutes_attested, bool) or not isinstance(minutes_attested, int):
        raise TypeError("minutes_attested must be an int number of minutes")
    if minutes_attested < 0:
        raise ValueError("minutes_attested cannot be negative")
    cap = _to_decimal(max_hours)
    if cap < 0:
        raise ValueError("max_hours cannot be negative")
    quarters = (Decimal(minutes_attested) / Decimal(15)).quantize(Decimal(1), ROUND_HALF_UP)
    hours = quarters * CREDIT_STEP
    return min(hours, cap).quantize(_CENTS, ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """Credit amounts always print with two decimals ("1.50"), as accreditors show them."""
    return str(_to_decimal(amount).quantize(_CENTS, ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class CreditLine:
    """One credit type awarded, e.g. Nursing (ANCC): 1.50 nursing contact hours."""

    label: str
    amount: Decimal
    unit: str
    uan: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _to_decimal(self.amount))
        if self.amount < 0:
            raise ValueError("credit amount cannot be negative")

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "amount": format_amount(self.amount),
            "unit": self.unit,
            "uan": self.uan,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CreditLine:
        return cls(label=d["label"], amount=Decimal(d["amount"]), unit=d["unit"], uan=d.get("uan"))


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """The accredited provider as printed; the joint statement is kept apart on purpose."""

    name: str
    address: str
    url: str
    accreditation_statements: tuple[str, ...] = ()
    joint_accreditation_statement: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "accreditation_statements", tuple(self.accreditation_statements))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address": self.address,
            "url": self.url,
            "accreditation_statements": list(self.accreditation_statements),
            "joint_accreditation_statement": self.joint_accreditation_statement,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ProviderInfo:
        return cls(
            name=d["name"],
            address=d["address"],
            url=d["url"],
            accreditation_statements=tuple(d.get("accreditation_statements", ())),
            joint_accreditation_statement=d.get("joint_accreditation_statement"),
        )


@dataclass(frozen=True, slots=True)
class Signer:
    """The CE director who signs. ``signature_png`` is PNG bytes or a path to a PNG file."""

    name: str
    title: str
    signature_png: bytes | str | None = None

    def signature_bytes(self) -> bytes | None:
        """The PNG bytes whichever way they were given (a path is read here, not at render)."""
        if self.signature_png is None or isinstance(self.signature_png, bytes):
            return self.signature_png
        with open(self.signature_png, "rb") as fh:
            return fh.read()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "title": self.title}
        if isinstance(self.signature_png, bytes):
            d["signature_png_base64"] = base64.b64encode(self.signature_png).decode("ascii")
        elif self.signature_png is not None:
            d["signature_png_path"] = str(self.signature_png)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Signer:
        sig: bytes | str | None = None
        if d.get("signature_png_base64"):
            sig = base64.b64decode(d["signature_png_base64"])
        elif d.get("signature_png_path"):
            sig = d["signature_png_path"]
        return cls(name=d["name"], title=d["title"], signature_png=sig)


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class CertificateData:
    """Frozen snapshot of one certificate. Fields under "not printed" drive verification only."""

    number: str
    learner_name: str
    course_title: str
    course_version: str
    completion_date: date
    issue_date: date
    credits: tuple[CreditLine, ...]
    provider: ProviderInfo
    signer: Signer
    credentials: str = ""
    profession: str = ""
    activity_format: str = DEFAULT_ACTIVITY_FORMAT
    expiry_date: date | None = None
    logo: bytes | None = None
    duplicate: bool = False
    # --- not printed ---
    status: str = "valid"
    revoked_on: date | None = None
    revocation_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "credits", tuple(self.credits))
        if not self.learner_name.strip():
            raise ValueError("learner_name is required")
        if self.status not in ("valid", "revoked"):
            raise ValueError("status must be 'valid' or 'revoked'")
        if self.expiry_date is not None and self.expiry_date < self.issue_date:
            raise ValueError("expiry_date is before issue_date")

    def verify_url(self, base_url: str) -> str:
        """The public verification page this certificate's QR code points at."""
        return f"{base_url.rstrip('/')}/verify/{self.number}"

    def status_on(self, today: date) -> str:
        """valid / revoked / expired as the public verification page shows it."""
        if self.status == "revoked":
            return "revoked"
        if self.expiry_date is not None and today > self.expiry_date:
            return "expired"
        return "valid"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (dates ISO, amounts as strings, images base64) for storage."""
        return {
            "number": self.number,
            "learner_name": self.learner_name,
            "credentials": self.credentials,
            "profession": self.profession,
            "course_title": self.course_title,
            "course_version": self.course_version,
            "activity_format": self.activity_format,
            "completion_date": self.completion_date.isoformat(),
            "issue_date": self.issue_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "credits": [c.to_dict() for c in self.credits],
            "provider": self.provider.to_dict(),
            "signer": self.signer.to_dict(),
            "logo_base64": base64.b64encode(self.logo).decode("ascii") if self.logo else None,
            "duplicate": self.duplicate,
            "status": self.status,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "revocation_reason": self.revocation_reason,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CertificateData:
        logo = d.get("logo_base64")
        return cls(
            number=d["number"],
            learner_name=d["learner_name"],
            credentials=d.get("credentials", ""),
            profession=d.get("profession", ""),
            course_title=d["course_title"],
            course_version=d["course_version"],
            activity_format=d.get("activity_format", DEFAULT_ACTIVITY_FORMAT),
            completion_date=date.fromisoformat(d["completion_date"]),
            issue_date=date.fromisoformat(d["issue_date"]),
            expiry_date=_date_or_none(d.get("expiry_date")),
            credits=tuple(CreditLine.from_dict(c) for c in d.get("credits", ())),
            provider=ProviderInfo.from_dict(d["provider"]),
            signer=Signer.from_dict(d["signer"]),
            logo=base64.b64decode(logo) if logo else None,
            duplicate=bool(d.get("duplicate", False)),
            status=d.get("status", "valid"),
            revoked_on=_date_or_none(d.get("revoked_on")),
            revocation_reason=d.get("revocation_reason"),
        )
