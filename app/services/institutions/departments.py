"""An institution's departments: checked when chosen, added by name."""

from __future__ import annotations

from app.extensions import db
from app.models import Department, Institution, User
from app.services import audit
from app.services.institutions.common import InstitutionError


def department_of(org: Institution, department_id: int | None) -> Department | None:
    """The department `department_id` of `org` (None for none); another's is a form error."""
    if department_id is None:
        return None
    dept = db.session.get(Department, department_id)
    if dept is None or dept.institution_id != org.id:
        raise InstitutionError("Choose one of this institution's departments.", "department")
    return dept


def add_department(org: Institution, actor: User, name: str) -> Department:
    """A new department; names are unique within an institution regardless of case."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InstitutionError("Give the department a name (up to 200 characters).", "name")
    if any(d.name.lower() == name.lower() for d in org.departments):
        raise InstitutionError("This institution already has a department with that name.", "name")
    dept = Department(institution_id=org.id, name=name)
    org.departments.append(dept)  # later checks in the same transaction see it
    db.session.flush()
    audit.record("org.department", actor=actor, subject=f"institution:{org.id}", name=name)
    return dept
