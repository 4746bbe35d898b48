"""admin blueprint: site administration (institutions, users, audit log, mail, status).

Every URL under /admin is for site admins only: anyone else signed in gets 403, and someone
signed out is sent to sign in. `guards` also adds two app-wide request hooks: a disabled
account's session ends at its next request, and an archived institution's pages are read-only
and its invites stop working.
"""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import guards, institution_views, system_views, user_views  # noqa: E402,F401
