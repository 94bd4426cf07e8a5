"""auth_service's domain errors, each with a stable code (several mirror main_service's, passed through)."""

from __future__ import annotations

from qhitz_shared.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    TokenRevokedError,
)
from qhitz_shared.password_policy import WeakPassword as WeakPassword  # shared: main's create-admin applies it too


class InvalidCredentials(AuthenticationError):
    code = "invalid_credentials"
    title = "The login or the password is wrong"


class AccountDisabled(PermissionDeniedError):
    code = "account_disabled"
    title = "The account is suspended or deactivated"


class WrongCurrentPassword(InvalidInputError):
    code = "wrong_current_password"
    title = "The current password is wrong"


class RegistrationDisabled(PermissionDeniedError):
    code = "registration_disabled"
    title = "Registration is switched off"


class EmailTaken(ConflictError):
    code = "email_taken"
    title = "The email is already registered"


class UsernameTaken(ConflictError):
    code = "username_taken"
    title = "The username is already taken"


class InvalidUserData(InvalidInputError):
    code = "invalid_user_data"
    title = "The user data is not valid"


class InvalidRefreshToken(InvalidTokenError):
    code = "invalid_refresh_token"
    title = "The refresh token is missing, invalid or expired"


class SessionRevoked(TokenRevokedError):
    code = "session_revoked"
    title = "The session has ended"


class RefreshTokenReused(TokenRevokedError):
    code = "refresh_token_reused"
    title = "A refresh token was used twice"


class AccountInactive(TokenRevokedError):
    code = "account_inactive"
    title = "The account is not active or its tokens were revoked"


class SessionNotFound(NotFoundError):
    code = "session_not_found"
    title = "Session not found"


class UserNotFound(NotFoundError):
    code = "user_not_found"
    title = "User not found"


class InvalidClient(AuthenticationError):
    code = "invalid_client"
    title = "Unknown client or wrong secret"


class UnsupportedGrantType(InvalidInputError):
    code = "unsupported_grant_type"
    title = "The grant type is not supported here"


class EmailNotVerified(PermissionDeniedError):
    code = "email_not_verified"
    title = "The email address must be verified first"


class VerificationTokenInvalid(InvalidInputError):
    code = "verification_token_invalid"
    title = "The email verification link is invalid, used or expired"


class ResetTokenInvalid(InvalidInputError):
    code = "reset_token_invalid"
    title = "The password reset link is invalid, used or expired"


class MfaRequired(PermissionDeniedError):
    code = "mfa_required"
    title = "The account has two-factor authentication: log in with POST /api/v1/auth/login"


class InvalidMfaChallenge(InvalidTokenError):
    code = "invalid_mfa_challenge"
    title = "The two-factor challenge is missing, invalid or expired: log in again"


class InvalidMfaCode(InvalidInputError):
    code = "invalid_mfa_code"
    title = "The code is wrong, was used already, or the recovery code is unknown or spent"


class MfaStateConflict(ConflictError):
    code = "mfa_state_conflict"
    title = "Two-factor authentication is not in the state this step needs"


class ApiKeyNotFound(NotFoundError):
    code = "api_key_not_found"
    title = "API key not found, revoked or expired"


class TooManyApiKeys(ConflictError):
    code = "too_many_api_keys"
    title = "The account has as many API keys as it may: revoke one first"


class InvalidScopes(InvalidInputError):
    code = "invalid_scopes"
    title = "An API key's scopes must be permissions its owner holds"


class InvalidClientIp(InvalidInputError):
    code = "invalid_client_ip"
    title = "The end client's address must be an IPv4 or IPv6 literal"


class InvalidApiKey(InvalidTokenError):
    code = "invalid_api_key"
    title = "The API key is unknown, revoked or expired"
