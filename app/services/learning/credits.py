"""Credit types (from configuration): which professions claim which kind of credit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app


@dataclass(frozen=True, slots=True)
class CreditType:
    """Credit awarded to some professions, e.g. Nursing: nursing contact hours."""

    label: str
    unit: str
    professions: tuple[str, ...]
    uan: str | None = None


DEFAULT_CREDIT_TYPES: tuple[dict[str, Any], ...] = (
    {"label": "Nursing", "unit": "nursing contact hours", "professions": ["nurse"]},
    {"label": "Physicians", "unit": "AMA PRA Category 1 Credit™", "professions": ["physician"]},
    {"label": "Pharmacy", "unit": "ACPE contact hours", "professions": ["pharmacist"]},
    {
        "label": "Other participants",
        "unit": "hours of participation",
        "professions": ["allied_health", "student", "other"],
    },
)


def credit_types() -> tuple[CreditType, ...]:
    """Credit table from app.config["CREDIT_TYPES"] (list of mappings), else the defaults."""
    raw: Iterable[Mapping[str, Any]] = current_app.config.get("CREDIT_TYPES", DEFAULT_CREDIT_TYPES)
    return tuple(
        CreditType(
            label=str(item["label"]),
            unit=str(item["unit"]),
            professions=tuple(item.get("professions", ())),
            uan=item.get("uan"),
        )
        for item in raw
    )


def credit_type_for(profession: str) -> CreditType | None:
    """The credit type a learner of `profession` can claim, if the course offers one."""
    for credit in credit_types():
        if profession in credit.professions:
            return credit
    return None
