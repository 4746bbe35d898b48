"""Accounts, roles and the profile fields a CE certificate needs."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, utcnow
from vocab import profession_label


class Role(enum.StrEnum):
    """Site-wide roles; a user may hold several."""

    LEARNER = "learner"
    EDUCATOR = "educator"
    INSTITUTION_ADMIN = "institution_admin"
    SITE_ADMIN = "site_admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Profession(enum.StrEnum):
    """Professions the course awards credit to; drives which credit type a certificate shows.

    The members spell out vocab.PROFESSIONS (the stored values; tests keep the two equal) so
    code can say `Profession.NURSE`; labels come from the vocabulary.
    """

    NURSE = "nurse"
    PHYSICIAN = "physician"
    PHARMACIST = "pharmacist"
    ALLIED_HEALTH = "allied_health"
    STUDENT = "student"
    OTHER = "other"

    @property
    def label(self) -> str:
        return profession_label(self.value)


class User(UserMixin, Model):
    __tablename__ = "user"
    __allow_unmapped__ = True  # for `session_key`, a plain attribute (the only non-Mapped one)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    print_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    profession: Mapped[str] = mapped_column(String(32), default=Profession.OTHER.value)
    licence_number: Mapped[str | None] = mapped_column(String(64))
    licence_state: Mapped[str | None] = mapped_column(String(64))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Registered but the e-mail link not yet followed: cannot sign in (a reset link also confirms).
    awaiting_confirmation: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # The key of the server-side session this object was loaded for or signed in with
    # (app.services.accounts.sessions); not a column.
    session_key: str | None = None

    def get_id(self) -> str:
        """Flask-Login's identity: "<user id>:<session key>", so ending the session ends it."""
        return f"{self.id}:{self.session_key}" if self.session_key else str(self.id)

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot sign in
        return self.is_active_account

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        """True if the user holds any of the given roles (site admins hold every power)."""
        mine = self.roles
        return Role.SITE_ADMIN in mine or any(r in mine for r in roles)

    def grant(self, role: Role) -> None:
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role.value))

    def revoke(self, role: Role) -> None:
        self.role_rows = [r for r in self.role_rows if r.role != role.value]

    @property
    def display_name(self) -> str:
        return f"{self.print_name}, {self.credentials}" if self.credentials else self.print_name

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(Model):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    user: Mapped[User] = relationship(back_populates="role_rows")
