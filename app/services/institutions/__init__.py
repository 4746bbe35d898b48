"""Institutions: who administers them, their departments and members, invites, roster imports,
assignments and due dates.

Every function that reads or changes an institution's people takes the institution the caller
was authorised for (`admin_institution()`) and scopes its queries by that id. Unknown and
forbidden look the same (`InstitutionNotFound`, a 404 in the views), so ids cannot be probed.
Nothing here commits: the view, CLI command or job wraps each call in `transaction()`; rules
that are broken raise `InstitutionError` or `RosterError`.

Modules: `common` (errors, helpers), `access` (admins, members, reset links), `departments`,
`invites`, `roster_file` (reading and validating a roster CSV), `roster` (writing it in bulk),
`assignments`, `due` (cycles and statuses). Import from the package, not its modules.
"""

from app.services.institutions.access import (
    admin_institution,
    admin_institutions,
    member_of,
    member_reset_link,
    members_page,
)
from app.services.institutions.assignments import (
    create_assignment,
    delete_assignment,
    list_assignments,
)
from app.services.institutions.common import COURSE_SLUG, InstitutionError, InstitutionNotFound
from app.services.institutions.departments import add_department, department_of
from app.services.institutions.due import (
    STATUS_LABELS,
    STATUSES,
    Cycle,
    LearnerDue,
    assignments_for_user,
    current_cycle,
    effective_assignment,
    status_for,
)
from app.services.institutions.invites import (
    create_invite,
    invite_by_code,
    invite_problem,
    join_with_invite,
    list_invites,
    revoke_invite,
)
from app.services.institutions.roster import (
    UNUSABLE_PREFIX,
    RosterResult,
    import_roster,
    unusable_password_hash,
)
from app.services.institutions.roster_file import (
    DEFAULT_ROSTER_MAX_BYTES,
    DEFAULT_ROSTER_MAX_ROWS,
    ROSTER_COLUMNS,
    ROSTER_OPTIONAL,
    RosterError,
    RosterProblem,
    RosterRow,
    RosterSource,
    parse_roster,
)

__all__ = [
    "COURSE_SLUG",
    "DEFAULT_ROSTER_MAX_BYTES",
    "DEFAULT_ROSTER_MAX_ROWS",
    "ROSTER_COLUMNS",
    "ROSTER_OPTIONAL",
    "STATUSES",
    "STATUS_LABELS",
    "UNUSABLE_PREFIX",
    "Cycle",
    "InstitutionError",
    "InstitutionNotFound",
    "LearnerDue",
    "RosterError",
    "RosterProblem",
    "RosterResult",
    "RosterRow",
    "RosterSource",
    "add_department",
    "admin_institution",
    "admin_institutions",
    "assignments_for_user",
    "create_assignment",
    "create_invite",
    "current_cycle",
    "delete_assignment",
    "department_of",
    "effective_assignment",
    "import_roster",
    "invite_by_code",
    "invite_problem",
    "join_with_invite",
    "list_assignments",
    "list_invites",
    "member_of",
    "member_reset_link",
    "members_page",
    "parse_roster",
    "revoke_invite",
    "status_for",
    "unusable_password_hash",
]
