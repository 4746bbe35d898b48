"""The admin's "send a test message": proves the mail settings work end to end."""

from __future__ import annotations

import smtplib

from flask import current_app

from app.models import User
from app.services import audit
from app.services.admin.common import AdminError
from app.services.admin.users import check_email
from app.services.mail import mail_configured, send_mail


def send_test_mail(actor: User | None, to: str) -> str:
    """Send a test message to `to`; AdminError says why not (not configured, SMTP refused)."""
    address = check_email(to)
    if not mail_configured():
        raise AdminError(
            "Mail is not configured (MAIL_SERVER is empty), so nothing was sent. Set MAIL_SERVER "
            "and the other MAIL_* settings and restart the app.",
            "email",
        )
    try:
        send_mail(
            address,
            "PostRx test message",
            "This is a test message from PostRx. If you can read it, outgoing mail works.\n\n"
            f"Sent through {current_app.config['MAIL_SERVER']}.\n",
        )
    except (smtplib.SMTPException, OSError) as err:
        raise AdminError(f"The mail server refused the message: {err}", "email") from err
    audit.record("admin.mail_test", actor=actor, subject=f"email:{address}")
    return address
