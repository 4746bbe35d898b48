"""A specimen certificate with realistic, fictitious data (`postrx certificates render-sample`).

Everything is fixed (number, dates, provider) so the specimen renders the same bytes every time
and can be checked into docs or compared in tests. The provider is invented; the statements
follow the shape accreditors ask for, in our own words where wording is not prescribed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from certificates.model import CertificateData, CreditLine, ProviderInfo, Signer

ASSET_DIR = Path(__file__).with_name("assets")
SPECIMEN_NUMBER = "PRX-7K3M-9QXD-2HVA-4"
COURSE_TITLE = "Social Media for Healthcare Professionals: Privacy, Boundaries and Trust"


def specimen_provider() -> ProviderInfo:
    """The invented provider used by the specimen, benches and tests."""
    return ProviderInfo(
        name="PostRx Continuing Education",
        address="1200 Harbor Street, Suite 400, Baltimore, MD 21230, USA",
        url="https://postrx.example.org",
        accreditation_statements=(
            "PostRx Continuing Education designates this internet enduring material for a "
            "maximum of 1.50 AMA PRA Category 1 Credit(s)™. Physicians should claim only the "
            "credit commensurate with the extent of their participation in the activity.",
            "Nurses: this activity awards up to 1.50 nursing contact hours, including time spent "
            "on the course evaluation. Pharmacists: this knowledge-based activity qualifies for "
            "1.50 contact hours (0.15 CEU) of continuing pharmacy education; credit is reported "
            "to CPE Monitor within 60 days of completion.",
        ),
        joint_accreditation_statement=(
            "In support of improving patient care, PostRx Continuing Education is jointly "
            "accredited by the Accreditation Council for Continuing Medical Education (ACCME), "
            "the Accreditation Council for Pharmacy Education (ACPE), and the American Nurses "
            "Credentialing Center (ANCC), to provide continuing education for the healthcare "
            "team."
        ),
    )


def specimen_data(name: str, *, duplicate: bool = False) -> CertificateData:
    """A complete, realistic certificate for ``name`` with a fixed specimen number and dates."""
    return CertificateData(
        number=SPECIMEN_NUMBER,
        learner_name=name,
        credentials="RN, BSN",
        profession="Registered Nurse",
        course_title=COURSE_TITLE,
        course_version="2025.1",
        completion_date=date(2025, 3, 14),
        issue_date=date(2025, 3, 14),
        expiry_date=date(2026, 3, 14),
        credits=(
            CreditLine("Nursing (ANCC)", Decimal("1.50"), "nursing contact hours"),
            CreditLine(
                "Pharmacy (ACPE)",
                Decimal("1.50"),
                "ACPE contact hours",
                uan="0372-0000-25-001-H04-P",
            ),
            CreditLine("Physicians", Decimal("1.50"), "AMA PRA Category 1 Credit(s)™"),
        ),
        provider=specimen_provider(),
        signer=Signer(
            name="Dr. Amara Okafor, PharmD, MPH",
            title="Director of Continuing Education",
            signature_png=(ASSET_DIR / "specimen-signature.png").read_bytes(),
        ),
        logo=(ASSET_DIR / "specimen-logo.png").read_bytes(),
        duplicate=duplicate,
    )
