"""OutboxAccountMail: account mails from the repository's templates, recorded in maindb's outbox."""

from __future__ import annotations

import html
import uuid
from functools import cache
from importlib.resources import files
from string import Template
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from main_service.adapters.outbound.persistence.models import outbox_event
from main_service.domain.users import User
from qhitz_shared.mail.message import MailMessage
from qhitz_shared.mail.settings import MailSettings
from qhitz_shared.outbox.store import record_event

SUBJECTS = {
    "verify_email": "Verify your email address",
    "reset_password": "Reset your Qhitz password",
}
# where the web app shows each page; the token travels in the query string
PAGES = {"verify_email": "/verify-email", "reset_password": "/reset-password"}


@cache
def template(name: str) -> Template:
    return Template((files(__package__) / "templates" / name).read_text(encoding="utf-8"))


def render(kind: str, user: User, token: str, base_url: str) -> MailMessage:
    """Plain text and HTML (values escaped) of ``kind``, with a link to ``base_url`` + the page + ?token=."""
    link = f"{base_url.rstrip('/')}{PAGES[kind]}?{urlencode({'token': token})}"
    values = {"username": user.username, "email": user.email, "link": link}
    return MailMessage(
        to=user.email,
        subject=SUBJECTS[kind],
        text=template(f"{kind}.txt").substitute(values),
        html=template(f"{kind}.html").substitute({key: html.escape(value) for key, value in values.items()}),
        message_id=f"{uuid.uuid4().hex}@qhitz.local",
    )


class OutboxAccountMail:
    """The AccountMail port: the message (with its link) is an outbox row of the caller's transaction."""

    def __init__(self, session: AsyncSession, settings: MailSettings) -> None:
        self._session = session
        self._base_url = settings.public_base_url

    async def verification(self, user: User, token: str) -> None:
        await record_event(self._session, outbox_event, render("verify_email", user, token, self._base_url))

    async def password_reset(self, user: User, token: str) -> None:
        await record_event(self._session, outbox_event, render("reset_password", user, token, self._base_url))
