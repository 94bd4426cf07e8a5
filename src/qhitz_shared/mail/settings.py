"""MAIL_*: where mail goes (an SMTP server, or .eml files in development) and whom it comes from."""

from __future__ import annotations

import enum
from typing import ClassVar

import msgspec

from qhitz_shared.settings import AppSettings


class SmtpSecurity(enum.StrEnum):
    AUTO = "auto"  # STARTTLS when the server offers it
    STARTTLS = "starttls"  # STARTTLS or fail
    TLS = "tls"  # implicit TLS (port 465)
    NONE = "none"


class MailSettings(msgspec.Struct, frozen=True):
    """MAIL_*: an SMTP server (smtp_host unset: each message is written as an .eml file under file_folder,
    default <APP_DATA_DIR>/mail, development only), the sender, and public_base_url, the address of the web app the
    links in mails point at (it shows the page that posts the mail's token to the API); relay_poll_seconds: how
    often the outbox relay looks for mail to send when idle; amqp_prefix: with AMQP_URL, mail goes through the
    RabbitMQ queue <prefix>.mail (exchange <prefix>.events; a mail that failed 20 deliveries waits in
    <prefix>.parking)."""

    env_prefix: ClassVar[str] = "MAIL_"

    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: SmtpSecurity = SmtpSecurity.AUTO
    smtp_username: str = ""
    smtp_password: str = ""
    sender: str = "Qhitz <no-reply@qhitz.local>"
    timeout_seconds: float = 10.0
    file_folder: str = ""
    public_base_url: str = "http://127.0.0.1:3000"
    relay_poll_seconds: float = 0.5
    amqp_prefix: str = "main"

    def check(self, app: AppSettings) -> None:
        """Production needs an SMTP server: files under the data folder would reach nobody."""
        if app.is_production and not self.smtp_host:
            raise SystemExit("MAIL_SMTP_HOST is empty: production needs an SMTP server to send mail")
        if not self.public_base_url.startswith(("http://", "https://")):
            raise SystemExit("MAIL_PUBLIC_BASE_URL must be an http(s) URL")
