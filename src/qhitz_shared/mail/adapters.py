"""SmtpMailer (aiosmtplib) and EmlFileMailer (one .eml file per message, for make dev)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path

import aiosmtplib
import structlog

from qhitz_shared.mail.message import MailMessage
from qhitz_shared.mail.settings import MailSettings, SmtpSecurity

log = structlog.get_logger(__name__)


class SmtpMailer:
    """One connection per message (mail is rare here: a pool would hold idle connections open); ``security``:
    implicit TLS, STARTTLS required, STARTTLS when offered (auto), or none. A refusal or an unreachable server
    raises aiosmtplib's SMTPException or OSError: the outbox keeps the message and tries again."""

    def __init__(self, settings: MailSettings) -> None:
        self._settings = settings

    async def send(self, message: MailMessage) -> None:
        settings = self._settings
        security = settings.smtp_security
        await aiosmtplib.send(
            message.to_email(settings.sender),
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username or None,
            password=settings.smtp_password or None,
            use_tls=security is SmtpSecurity.TLS,
            start_tls=True if security is SmtpSecurity.STARTTLS else None if security is SmtpSecurity.AUTO else False,
            timeout=settings.timeout_seconds,
        )
        log.info("mail_sent", message_id=message.message_id, subject=message.subject)


class EmlFileMailer:
    """Writes each message as ``<folder>/<unix ms>-<id>.eml`` (readable by any mail client) and logs its path."""

    def __init__(self, folder: Path, sender: str) -> None:
        self._folder = folder
        self._sender = sender

    async def send(self, message: MailMessage) -> None:
        path = await asyncio.to_thread(self._write, message)
        log.info("mail_written", path=str(path), to=message.to, subject=message.subject)

    def _write(self, message: MailMessage) -> Path:
        self._folder.mkdir(parents=True, exist_ok=True)
        name = message.message_id.partition("@")[0] or uuid.uuid4().hex
        path = self._folder / f"{int(time.time() * 1000)}-{name}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(message.to_email(self._sender).as_bytes())
        os.replace(partial, path)  # a reader never sees half a message
        return path


def open_mailer(settings: MailSettings, data_dir: str) -> SmtpMailer | EmlFileMailer:
    """SMTP when MAIL_SMTP_HOST is set; otherwise .eml files under MAIL_FILE_FOLDER (default <APP_DATA_DIR>/mail)."""
    if settings.smtp_host:
        return SmtpMailer(settings)
    return EmlFileMailer(Path(settings.file_folder or Path(data_dir) / "mail"), settings.sender)
