"""The roster's password-set mail goes out over one SMTP connection, reconnecting once."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import ClassVar

import pytest

from app.services.mail import send_mail, send_many


class FakeSMTP:
    """Records connections and messages; can drop the connection or refuse a recipient."""

    connections: ClassVar[list[FakeSMTP]] = []
    drop_after: ClassVar[list[int]] = []  # per connection: messages accepted before it drops
    refuse: ClassVar[set[str]] = set()

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.sent: list[EmailMessage] = []
        self.logged_in = False
        self.closed = False
        self.limit = self.drop_after[len(self.connections)] if self.drop_after else None
        self.connections.append(self)

    def starttls(self) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        self.logged_in = True

    def send_message(self, msg: EmailMessage) -> None:
        if self.limit is not None and len(self.sent) >= self.limit:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if msg["To"] in self.refuse:
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (550, b"no such user")})
        self.sent.append(msg)

    def quit(self) -> None:
        self.closed = True

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def smtp(app, monkeypatch):
    app.config.update(
        MAIL_SERVER="smtp.example.org", MAIL_USE_TLS=True, MAIL_USERNAME="u", MAIL_PASSWORD="p"
    )
    FakeSMTP.connections = []
    FakeSMTP.drop_after = []
    FakeSMTP.refuse = set()
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def _messages(n: int) -> list[tuple[str, str, str]]:
    return [(f"p{i}@example.org", "Welcome", f"Hello {i}") for i in range(n)]


def test_many_messages_share_one_connection_and_one_login(smtp):
    assert send_many(_messages(50)) == 50
    (conn,) = smtp.connections
    assert conn.logged_in and conn.closed
    assert [m["To"] for m in conn.sent] == [f"p{i}@example.org" for i in range(50)]


def test_a_dropped_connection_is_reopened_once_and_the_message_retried(smtp):
    smtp.drop_after = [3, 10**6]
    assert send_many(_messages(8)) == 8
    first, second = smtp.connections
    assert len(first.sent) == 3 and len(second.sent) == 5 and second.logged_in


def test_a_second_drop_is_an_error(smtp):
    smtp.drop_after = [2, 2]
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_many(_messages(8))
    assert len(smtp.connections) == 2 and all(c.closed for c in smtp.connections)


def test_a_refused_recipient_is_skipped_in_a_batch_but_raised_for_a_single_message(smtp):
    smtp.refuse = {"p1@example.org"}
    assert send_many(_messages(3)) == 2
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_mail("p1@example.org", "Reset", "link")


def test_without_a_mail_server_messages_go_to_the_outbox(app):
    assert send_many(_messages(2)) == 2
    assert app.extensions["postrx_outbox"] == _messages(2)
