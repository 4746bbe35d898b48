"""Outgoing mail: SMTP when MAIL_SERVER is set, otherwise the message goes to the log.

Development has no mail server, so reset links are printed where the developer can see them.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("postrx.mail")


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message, or print it when no mail server is configured."""
    cfg = current_app.config
    if not mail_configured():
        message = f"[mail not configured] To: {to}\nSubject: {subject}\n\n{body}"
        log.warning(message)
        if not current_app.testing:
            print(message, flush=True)
        current_app.extensions.setdefault("postrx_outbox", []).append((to, subject, body))
        return
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)
