"""Profile rules: what a certificate will print must be printable."""

from __future__ import annotations

import unicodedata

from app.models import Profession, User
from app.services import audit


class ProfileError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def clean_print_name(name: str) -> str:
    """NFC-normalise and reject control characters, so the PDF prints what the user typed."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    if not name:
        raise ProfileError("Enter your name as it should be printed.", "print_name")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} for ch in name):
        raise ProfileError("Your name contains invisible or control characters.", "print_name")
    try:
        from certificates.fonts import missing_characters
    except ImportError:  # certificates package not installed with fonts yet
        return name
    missing = missing_characters(name)
    if missing:
        raise ProfileError(
            "Certificates cannot print these characters of your name: "
            + " ".join(sorted(set(missing)))
            + ". Use another spelling or contact support.",
            "print_name",
        )
    return name


def update_profile(
    user: User,
    *,
    print_name: str,
    credentials: str,
    profession: str,
    licence_number: str | None,
    licence_state: str | None,
) -> None:
    """Change the CE profile (audited) in the caller's transaction."""
    user.print_name = clean_print_name(print_name)
    user.credentials = credentials.strip()
    user.profession = Profession(profession).value
    user.licence_number = (licence_number or "").strip() or None
    user.licence_state = (licence_state or "").strip() or None
    audit.record("account.profile", actor=user, subject=f"user:{user.id}")
