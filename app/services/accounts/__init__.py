"""The accounts area: users, registration and sign-in, passwords, reset links and the CE
profile (the name and credentials a certificate prints).

- ``users``         find by email, authenticate, sign in
- ``registration``  register without revealing known e-mails; confirmation links
- ``sessions``      server-side sign-in sessions: start, check per request, end
- ``passwords``     argon2 hashing, password rules, set and change a password
- ``resets``        signed single-use reset links, mailed
- ``profile``    the CE profile and the printable-name rule

Views call these functions and never touch password hashes or tokens themselves. Nothing here
commits: the view wraps each state change in ``app.transaction``. API tokens
(``app.services.api_tokens``) and outgoing mail (``app.services.mail``) stay modules of their
own: the institution, review and quiz areas import them there.
"""

from app.services.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    change_password,
    check_password_rules,
    hash_password,
    needs_rehash,
    set_password,
    verify_password,
)
from app.services.accounts.profile import ProfileError, clean_print_name, update_profile
from app.services.accounts.registration import confirm_email, confirm_url, register
from app.services.accounts.resets import (
    request_password_reset,
    reset_password,
    reset_token,
    reset_url,
    user_for_reset_token,
)
from app.services.accounts.sessions import (
    end_all_sessions,
    end_session,
    start_session,
    touch_session,
    user_for_session,
)
from app.services.accounts.users import (
    NewAccount,
    authenticate,
    find_user_by_email,
    normalize_email,
    sign_in,
)

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "NewAccount",
    "ProfileError",
    "authenticate",
    "change_password",
    "check_password_rules",
    "clean_print_name",
    "confirm_email",
    "confirm_url",
    "end_all_sessions",
    "end_session",
    "find_user_by_email",
    "hash_password",
    "needs_rehash",
    "normalize_email",
    "register",
    "request_password_reset",
    "reset_password",
    "reset_token",
    "reset_url",
    "set_password",
    "sign_in",
    "start_session",
    "touch_session",
    "update_profile",
    "user_for_reset_token",
    "user_for_session",
    "verify_password",
]
