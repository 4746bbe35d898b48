"""The demo data's fixed vocabulary (departments, professions, names, the final assessment's
criteria) and the bulk writer every step uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert

from app.extensions import db

BATCH = 5000
FINAL_QUIZ = "final-assessment"
DEPARTMENTS = (
    "Emergency Department",
    "Intensive Care Unit",
    "Medical-Surgical Unit",
    "Paediatrics",
    "Maternity",
    "Pharmacy",
    "Outpatient Clinics",
    "Physiotherapy",
    "Radiology",
    "Medical Students",
)
PROFESSIONS = (
    ("nurse", "RN", 45),
    ("physician", "MD", 15),
    ("pharmacist", "PharmD", 10),
    ("allied_health", "PT", 15),
    ("student", "", 10),
    ("other", "", 5),
)
_GIVEN = (
    "Ana Maya Samuel Priya Alex Tom Grace Olu Chen Fatima Liam Noah Emma Zoë Ingrid Mateo "
    "Aisha Kenji Elena Sipho Nia Rahul Hana Omar Lucía Jonas Mei Kwame Sofia Ivan Ewa Dara "
    "Niamh Tariq Yusuf Leila Rosa Anders Chloé Nguyễn Ελένη Анна"
)
GIVEN = tuple(_GIVEN.split())
_FAMILY = (
    "Souza Fernández Okoye Raman Chen Reid Kowalski Adeyemi Wang Haddad Murphy Smith Jones "
    "Brown Taylor Nakamura Rossi Müller Dubois Silva Mensah Patel Kim Ali García Novak Larsen "
    "O'Brien Costa Ivanova Nowak Byrne Yilmaz Sato Moreau Khan Eriksen Petrov Tran Papadopoulos"
)
FAMILY = tuple(_FAMILY.split())
# Criteria per scenario of the final assessment (id, guidelines, weight, max points).
CRITERIA = (
    ("consent", [1], 2.0, 3),
    ("confidentiality", [2], 3.0, 3),
    ("accuracy", [3], 1.0, 3),
    ("boundaries", [4], 1.0, 3),
    ("reputation", [5, 6], 1.0, 3),
    ("jurisdiction", [7], 1.0, 3),
)
DIFFICULTY = {"consent": -0.12, "jurisdiction": -0.18, "confidentiality": 0.05, "reputation": -0.05}
SCENARIOS = ("sm-case-photo", "sm-patient-friend-request", "sm-vaccine-claim", "sm-complaint-reply")


@dataclass(frozen=True, slots=True)
class DemoStats:
    """What one `generate()` added (the CLI prints it)."""

    institution: str
    learners: int
    enrollments: int
    attempts: int
    certificates: int


def batched(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterable[list[dict[str, Any]]]:
    """`rows` in lists of at most `size` (one executemany each)."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(model: Any, rows: Iterable[dict[str, Any]]) -> None:
    """Core INSERTs in batches: no ORM bookkeeping per row (and no session hook either)."""
    table = model.__table__
    for batch in batched(rows):
        db.session.execute(insert(table), batch)
