"""Outgoing mail: SMTP when MAIL_SERVER is set, otherwise the message goes to the log.

Development has no mail server, so reset links are printed where the developer can see them
(and tests read them from `app.extensions["postrx_outbox"]`). `send_many` sends a batch over
one SMTP connection: a roster of 5,000 new people is one login, not 5,000.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from email.message import EmailMessage
from typing import Any

from flask import current_app

log = logging.getLogger("postrx.mail")

Message = tuple[str, str, str]
"""(to, subject, plain-text body)"""

_DROPPED = (smtplib.SMTPServerDisconnected, ConnectionError)


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message, or print it when no mail server is configured."""
    send_many([(to, subject, body)], strict=True)


def send_many(messages: Iterable[Message], *, strict: bool = False) -> int:
    """Send messages over one SMTP connection; returns how many the server accepted.

    A connection the server drops is reopened once and the message retried; a second drop
    raises. A recipient the server refuses is logged and skipped (or raised when `strict`), so
    one bad address does not stop a roster's worth of mail.
    """
    if not mail_configured():
        count = 0
        for to, subject, body in messages:
            _to_console(to, subject, body)
            count += 1
        return count
    cfg = current_app.config
    smtp = _connect(cfg)
    reconnected = False
    sent = 0
    try:
        for to, subject, body in messages:
            msg = _message(cfg["MAIL_FROM"], to, subject, body)
            try:
                smtp.send_message(msg)
            except _DROPPED:
                if reconnected:
                    raise
                reconnected = True
                _close(smtp)
                smtp = _connect(cfg)
                smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused:
                if strict:
                    raise
                log.warning("mail to %s refused by the server; not sent", to)
                continue
            sent += 1
    finally:
        _close(smtp)
    return sent


def _to_console(to: str, subject: str, body: str) -> None:
    message = f"[mail not configured] To: {to}\nSubject: {subject}\n\n{body}"
    log.warning(message)
    if not current_app.testing:
        print(message, flush=True)
    current_app.extensions.setdefault("postrx_outbox", []).append((to, subject, body))


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _connect(cfg: Mapping[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10)
    try:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    """QUIT politely; a connection that is already gone is simply closed."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
