"""Request and response bodies of auth_service (snake_case JSON, OAuth2 field names where OAuth2 defines them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec

from auth_service.domain.accounts import LoginSession, TokenPair
from auth_service.domain.api_keys import ApiKeyView
from qhitz_shared.http.inputs import AwareDateTime, MailedToken, Opaque, Text

Password = Opaque(1024, min_length=1)  # any character: it is only hashed
Login = Text(254, min_length=1)
Name = Text(100)
FormToken = Text(64, normalised=False)  # grant types, client ids
Secret = Opaque(1024)
Scope = Text(1024, normalised=False)
RefreshToken = Opaque(8192, min_length=1)


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Login
    username: Login
    password: Password
    first_name: Name | None = None
    last_name: Name | None = None


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    """Either ``email`` or ``username`` names the account (both are accepted in either field)."""

    password: Password
    email: Login | None = None
    username: Login | None = None


class OAuth2PasswordForm(msgspec.Struct):
    """The OAuth2 password grant as the OpenAPI page's Authorize button sends it."""

    username: Login
    password: Password
    grant_type: FormToken | None = None
    scope: Scope | None = None
    client_id: FormToken | None = None
    client_secret: Secret | None = None


class ClientCredentialsForm(msgspec.Struct):
    """RFC 6749 §4.4: grant_type is required, and only client_credentials is served (another value is answered
    400 unsupported_grant_type, as the RFC names it, so the document states the one value)."""

    grant_type: Annotated[FormToken, msgspec.Meta(extra_json_schema={"extra": {"enum": ["client_credentials"]}})]
    client_id: FormToken | None = None
    client_secret: Secret | None = None
    scope: Scope | None = None


class RefreshIn(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: RefreshToken


class ChangePasswordIn(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Password
    new_password: Password


class TokenOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    refresh_expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> TokenOut:
        return cls(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            token_type=pair.token_type,
            expires_in=pair.expires_in,
            refresh_expires_in=pair.refresh_expires_in,
        )


class ServiceTokenOut(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: str = "Bearer"


class SessionOut(msgspec.Struct):
    id: uuid.UUID
    created_at: datetime | None
    last_used_at: datetime | None
    expires_at: datetime
    user_agent: str | None
    ip_address: str | None
    current: bool

    @classmethod
    def of(cls, session: LoginSession, current_id: str | None) -> SessionOut:
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            expires_at=session.expires_at,
            user_agent=session.user_agent,
            ip_address=session.ip_address,
            current=str(session.id) == current_id,
        )


class VerifyOut(msgspec.Struct):
    valid: bool
    claims: dict[str, Any] | None = None
    reason: str | None = None


class EmailIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Login


class PasswordResetConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    token: MailedToken
    new_password: Password


class AcceptedOut(msgspec.Struct):
    """The same answer whether or not an account has the address."""

    detail: str


class EmailVerifiedOut(msgspec.Struct):
    email: str
    email_verified: bool


TotpCode = Text(16, min_length=1, normalised=False)
RecoveryCode = Text(32, min_length=1, normalised=False)
ChallengeToken = Opaque(4096, min_length=1)


class MfaRequiredOut(msgspec.Struct):
    """The login's answer for an account with two-factor authentication: complete it at /api/v1/auth/mfa/verify."""

    mfa_required: bool
    challenge: str
    expires_in: int
    methods: list[str]


class TotpSetupOut(msgspec.Struct):
    secret: str  # base32, for typing into an authenticator app
    otpauth_uri: str
    qr_svg: str  # the otpauth URI as a QR code, SVG made here (no third party sees the secret)


class TotpCodeIn(msgspec.Struct, forbid_unknown_fields=True):
    code: TotpCode


class RecoveryCodesOut(msgspec.Struct):
    recovery_codes: list[str]  # shown once; each works once


class MfaVerifyIn(msgspec.Struct, forbid_unknown_fields=True):
    """The challenge and either a TOTP code or a recovery code."""

    challenge: ChallengeToken
    code: TotpCode | None = None
    recovery_code: RecoveryCode | None = None


class TotpDisableIn(msgspec.Struct, forbid_unknown_fields=True):
    """A current code or the account's password."""

    code: TotpCode | None = None
    password: Password | None = None


ApiKeyName = Text(100, min_length=1)
ScopeName = Text(64, min_length=1, normalised=False)
ApiKeySecret = Opaque(128, min_length=1)
# an IPv6 literal is at most 45 characters (IPv4-mapped); zone ids (fe80::1%eth0) fit in the rest
ClientIp = Annotated[
    Text(64, normalised=False),
    msgspec.Meta(description="The end client's IPv4 or IPv6 address", examples=["203.0.113.7", "2001:db8::1"]),
]


class ApiKeyIn(msgspec.Struct, forbid_unknown_fields=True):
    """``scopes``: permissions of the caller (GET /api/v1/permissions lists them); ``expires_at``: none = never."""

    name: ApiKeyName
    scopes: Annotated[list[ScopeName], msgspec.Meta(max_length=64)]
    expires_at: AwareDateTime | None = None


class ApiKeyOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, view: ApiKeyView) -> ApiKeyOut:
        return cls(
            id=view.id,
            name=view.name,
            prefix=view.prefix,
            scopes=view.scopes,
            created_at=view.created_at,
            expires_at=view.expires_at,
            last_used_at=view.last_used_at,
        )


class ApiKeyCreatedOut(ApiKeyOut):
    key: str = ""  # the key itself: shown this once, never stored


class ApiKeyExchangeIn(msgspec.Struct, forbid_unknown_fields=True):
    """``client_ip``: sent by a service exchanging a key on its client's behalf, with its service token as
    ``Authorization: Bearer``; the exchange limit then counts that address instead of the service's. Ignored
    without a valid service token; not an IP literal: 422 invalid_client_ip."""

    api_key: ApiKeySecret
    client_ip: ClientIp | None = None


class ApiKeyTokenOut(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: str = "Bearer"
