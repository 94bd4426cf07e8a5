"""main_service's domain errors, each with a stable code."""

from __future__ import annotations

from qhitz_shared.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError


class UserNotFound(NotFoundError):
    code = "user_not_found"
    title = "User not found"


class EmailTaken(ConflictError):
    code = "email_taken"
    title = "The email is already registered"


class UsernameTaken(ConflictError):
    code = "username_taken"
    title = "The username is already taken"


class InvalidUserData(InvalidInputError):
    code = "invalid_user_data"
    title = "The user data is not valid"


class RoleNotFound(NotFoundError):
    code = "role_not_found"
    title = "Role not found"


class RoleNameTaken(ConflictError):
    code = "role_name_taken"
    title = "A role with this name exists"


class InvalidRoleData(InvalidInputError):
    code = "invalid_role_data"
    title = "The role data is not valid"


class UnknownPermission(InvalidInputError):
    code = "unknown_permission"
    title = "Unknown permission"


class SystemRoleProtected(ConflictError):
    code = "system_role_protected"
    title = "System roles cannot be deleted or stripped of core permissions"


class RegistrationDisabled(PermissionDeniedError):
    code = "registration_disabled"
    title = "Registration is switched off"


class InvalidStatusTransition(ConflictError):
    code = "invalid_status_transition"
    title = "The user's status does not allow this"


class CannotChangeSelf(ConflictError):
    code = "cannot_change_self"
    title = "This action cannot be applied to your own account"


class VerificationTokenInvalid(InvalidInputError):
    code = "verification_token_invalid"
    title = "The email verification link is invalid, used or expired"


class ResetTokenInvalid(InvalidInputError):
    code = "reset_token_invalid"
    title = "The password reset link is invalid, used or expired"


class MfaStateConflict(ConflictError):
    code = "mfa_state_conflict"
    title = "Two-factor authentication is not in the state this step needs"


class ApiKeyNotFound(NotFoundError):
    code = "api_key_not_found"
    title = "API key not found, revoked or expired"


class TooManyApiKeys(ConflictError):
    code = "too_many_api_keys"
    title = "The account has as many API keys as it may: revoke one first"
