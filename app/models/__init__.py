"""SQLAlchemy models, split by area. Importing this package registers every table."""

from app.models import authoring, certificate, job, learning, org, quiz  # noqa: F401  (area modules register tables)
from app.models.audit import AuditEvent
from app.models.institution import Department, Institution, Membership
from app.models.learning import Enrollment, LessonProgress
from app.models.session import UserSession
from app.models.user import Profession, Role, User, UserRole

__all__ = [
    "AuditEvent",
    "Department",
    "Enrollment",
    "Institution",
    "LessonProgress",
    "Membership",
    "Profession",
    "Role",
    "User",
    "UserRole",
    "UserSession",
]
