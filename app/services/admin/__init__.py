"""Site administration: institutions, accounts, the audit log, mail test and status checks.

Only site admins reach these functions (the `admin` blueprint and the `postrx institutions` /
`postrx users` commands check that); each state change records an audit event and nothing here
commits: the view or CLI command wraps the call in `app.db_tx.transaction()`. Errors are
`AdminError` (message safe to show, `field` names the form field); `UnknownInstitution` and
`UnknownUser` are its "not found" cases.

- ``orgs``      list/create/rename institutions, appoint and remove admins, archive
- ``branding``  logo (Pillow-checked, stored in the database) and certificate provider details
- ``users``     search, roles, disable/enable (the last site admin stays), reset links
- ``auditlog``  audit filters, pages and the CSV export
- ``mailtest``  send a test message
- ``status``    the status page's registry of checks (other areas add theirs)
"""

from app.services.admin.auditlog import AuditFilters, AuditRow, audit_csv, audit_page
from app.services.admin.branding import (
    certificate_logo,
    certificate_provider,
    check_logo,
    clear_logo,
    logo_max_bytes,
    provider_details_allowed,
    provider_for,
    set_logo,
    set_provider_details,
)
from app.services.admin.common import PER_PAGE, AdminError, Page, is_site_admin
from app.services.admin.mailtest import send_test_mail
from app.services.admin.orgs import (
    Appointment,
    InstitutionSummary,
    UnknownInstitution,
    admins_of,
    appoint_admin,
    archive_institution,
    create_institution,
    institution_by_slug,
    list_institutions,
    remove_admin,
    rename_institution,
    unarchive_institution,
)
from app.services.admin.status import Check, register_check, run_checks
from app.services.admin.users import (
    ResetDelivery,
    UnknownUser,
    UserDetail,
    deliver_reset_link,
    disable_user,
    enable_user,
    grant_role,
    revoke_role,
    search_users,
    user_by_email,
    user_by_id,
    user_detail,
)

__all__ = [
    "PER_PAGE",
    "AdminError",
    "Appointment",
    "AuditFilters",
    "AuditRow",
    "Check",
    "InstitutionSummary",
    "Page",
    "ResetDelivery",
    "UnknownInstitution",
    "UnknownUser",
    "UserDetail",
    "admins_of",
    "appoint_admin",
    "archive_institution",
    "audit_csv",
    "audit_page",
    "certificate_logo",
    "certificate_provider",
    "check_logo",
    "clear_logo",
    "create_institution",
    "deliver_reset_link",
    "disable_user",
    "enable_user",
    "grant_role",
    "institution_by_slug",
    "is_site_admin",
    "list_institutions",
    "logo_max_bytes",
    "provider_details_allowed",
    "provider_for",
    "register_check",
    "remove_admin",
    "rename_institution",
    "revoke_role",
    "run_checks",
    "search_users",
    "send_test_mail",
    "set_logo",
    "set_provider_details",
    "unarchive_institution",
    "user_by_email",
    "user_by_id",
    "user_detail",
]
