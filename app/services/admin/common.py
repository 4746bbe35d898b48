"""What every site-administration service shares: its error type, pages and the access rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from app.models import Institution, Role, User

T = TypeVar("T")
PER_PAGE = 50


class AdminError(ValueError):
    """A site-administration rule was broken; the message is safe to show the user.

    `field` names the form field at fault (None: the whole request) so the view can put the
    message beside it and the CLI can print it as is.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list and what a pager needs to link the others."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def page_number(value: int | None) -> int:
    """A page number from a query string: anything below 1 is page 1."""
    return max(value or 1, 1)


def is_site_admin(user: object) -> bool:
    """True only for a signed-in, active account holding Role.SITE_ADMIN itself."""
    return (
        isinstance(user, User)
        and bool(user.is_authenticated)
        and user.is_active
        and Role.SITE_ADMIN in user.roles
    )


def like_pattern(text: str) -> str:
    """A case-insensitive LIKE pattern for `text` with the wildcards in it escaped."""
    cleaned = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{cleaned}%"


def ensure_writable(org: Institution) -> None:
    """Archived institutions are read-only until unarchived, for site admins too."""
    if org.is_archived:
        raise AdminError(f"{org.name} is archived; unarchive it before changing it.")
