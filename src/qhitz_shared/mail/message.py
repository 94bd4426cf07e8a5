"""A mail as every service hands it to a Mailer: one recipient, a subject, a plain-text and an HTML body."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

import msgspec

MAIL_EVENT = "mail.send"


class MailMessage(msgspec.Struct, frozen=True):
    """``message_id`` (without angle brackets) stays the same when a message is sent again, so mail clients
    collapse a redelivery; empty: one is made when the message is built."""

    to: str
    subject: str
    text: str
    html: str
    message_id: str = ""

    @property
    def name(self) -> str:
        """The outbox event name (routing key) of a mail."""
        return MAIL_EVENT

    def to_email(self, sender: str) -> EmailMessage:
        """The MIME message: multipart/alternative, plain text first, UTF-8."""
        email = EmailMessage()
        email["From"] = sender
        email["To"] = self.to
        email["Subject"] = self.subject
        email["Date"] = formatdate(localtime=False, usegmt=True)
        email["Message-ID"] = f"<{self.message_id}>" if self.message_id else make_msgid(domain="qhitz.local")
        email.set_content(self.text)
        email.add_alternative(self.html, subtype="html")
        return email


class Mailer(Protocol):
    """Hands a message over for delivery; returns once the server (or file) accepted it, raises otherwise."""

    async def send(self, message: MailMessage) -> None: ...
