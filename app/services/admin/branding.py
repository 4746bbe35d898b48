"""An institution's logo and the provider details printed on its staff's certificates.

The logo is checked with Pillow (really a PNG or JPEG, within the size limits) and stored in
the database, so every web host serves the same bytes. Provider details reuse the certificate
area's `provider_info()`: an institution may only replace the provider's name, address and web
address, and only when the site enables it (INSTITUTION_PROVIDER_DETAILS); the accreditation
statements always stay the accredited provider's own wording from the site configuration.
"""

from __future__ import annotations

import dataclasses
import io
import re
import warnings

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Institution, Membership, User
from app.services import audit
from app.services.admin.common import AdminError, ensure_writable
from app.services.certificates.settings import logo_png, provider_info
from certificates.model import ProviderInfo

DEFAULT_LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000  # per side: a logo, not a photograph
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
PROVIDER_FIELDS = {"name": 200, "address": 300, "url": 300}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def logo_max_bytes() -> int:
    return int(current_app.config.get("INSTITUTION_LOGO_MAX_BYTES", DEFAULT_LOGO_MAX_BYTES))


def check_logo(data: bytes) -> str:
    """The MIME type of a logo file, or AdminError saying why it cannot be used."""
    from PIL import Image, UnidentifiedImageError

    limit = logo_max_bytes()
    if not data:
        raise AdminError("Choose a PNG or JPEG file.", "logo")
    if len(data) > limit:
        raise AdminError(f"The logo is larger than {limit // 1024} KB.", "logo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                kind, size = img.format, img.size
                img.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
    ):
        raise AdminError("The file is not a readable PNG or JPEG image.", "logo") from None
    if kind not in LOGO_TYPES:
        raise AdminError(f"The logo must be PNG or JPEG, not {kind or 'unknown'}.", "logo")
    if max(size) > LOGO_MAX_PIXELS:
        raise AdminError(
            f"The logo is {size[0]}×{size[1]} pixels; at most {LOGO_MAX_PIXELS} per side.", "logo"
        )
    return LOGO_TYPES[kind]


def set_logo(org: Institution, actor: User | None, data: bytes) -> None:
    """Replace the institution's logo after checking it; nothing changes if it is refused."""
    ensure_writable(org)
    kind = check_logo(data)
    org.logo, org.logo_type = data, kind
    audit.record(
        "admin.institution.logo",
        actor=actor,
        subject=f"institution:{org.id}",
        bytes=len(data),
        type=kind,
    )


def clear_logo(org: Institution, actor: User | None) -> None:
    ensure_writable(org)
    org.logo, org.logo_type = None, None
    audit.record("admin.institution.logo_cleared", actor=actor, subject=f"institution:{org.id}")


def provider_details_allowed() -> bool:
    """Whether this site lets institutions print their own provider details (off by default)."""
    return bool(current_app.config.get("INSTITUTION_PROVIDER_DETAILS", False))


def set_provider_details(org: Institution, actor: User | None, details: dict[str, str]) -> None:
    """Save the name/address/url printed for this institution's staff; blank values mean the
    site's own. Refused where the site does not allow it."""
    ensure_writable(org)
    if not provider_details_allowed():
        raise AdminError(
            "This site prints its own provider details on every certificate "
            "(INSTITUTION_PROVIDER_DETAILS is off)."
        )
    clean: dict[str, str] = {}
    for key, limit in PROVIDER_FIELDS.items():
        value = " ".join(str(details.get(key) or "").split())
        if len(value) > limit:
            raise AdminError(f"Keep the {key} under {limit} characters.", f"provider_{key}")
        if value:
            clean[key] = value
    if "url" in clean and not _URL.match(clean["url"]):
        raise AdminError("Give a web address starting with https://.", "provider_url")
    org.certificate_provider = clean or None
    audit.record(
        "admin.institution.provider", actor=actor, subject=f"institution:{org.id}", **clean
    )


def provider_for(org: Institution | None, base_url: str) -> ProviderInfo:
    """The provider printed for `org`'s staff: the site's, with the allowed fields replaced."""
    site = provider_info(base_url)
    if org is None or not org.certificate_provider or not provider_details_allowed():
        return site
    mine = org.certificate_provider
    return dataclasses.replace(
        site,
        name=mine.get("name") or site.name,
        address=mine.get("address") or site.address,
        url=mine.get("url") or site.url,
    )


def home_institution(user: User) -> Institution | None:
    """The institution whose details a user's certificate prints: the first one they joined
    that is not archived and has a logo or provider details."""
    return db.session.scalar(
        select(Institution)
        .join(Membership, Membership.institution_id == Institution.id)
        .where(
            Membership.user_id == user.id,
            Institution.archived_at.is_(None),
            Institution.logo_type.is_not(None) | Institution.certificate_provider.is_not(None),
        )
        .order_by(Membership.joined_at, Membership.id)
        .limit(1)
    )


def certificate_provider(user: User, base_url: str) -> ProviderInfo:
    """What the certificate area prints as the provider for `user`."""
    return provider_for(home_institution(user), base_url)


def certificate_logo(user: User) -> bytes | None:
    """The logo printed on `user`'s certificate: their institution's PNG, else the site's.

    ReportLab draws PNG and JPEG alike, so either kind of stored logo can be printed.
    """
    org = home_institution(user)
    if org is not None and org.logo_type and provider_details_allowed():
        return org.logo
    return logo_png()
