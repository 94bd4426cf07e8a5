"""Feature flags whose values change behaviour, with the defaults used when a payload lacks them."""

from __future__ import annotations

from main_service.domain.users import User

USER_REGISTRATION = "user-registration"
MEDIA_MAX_UPLOAD_MB = "media-max-upload-mb"
MEDIA_STORAGE_QUOTA_MB = "media-storage-quota-mb"
REQUIRE_VERIFIED_EMAIL = "require-verified-email"

DEFAULTS: dict[str, object] = {
    USER_REGISTRATION: True,
    MEDIA_MAX_UPLOAD_MB: 100,
    MEDIA_STORAGE_QUOTA_MB: 1024,
    REQUIRE_VERIFIED_EMAIL: False,
}


def attributes_for(user: User) -> dict[str, object]:
    """The targeting attributes GrowthBook rules may use."""
    return {
        "id": str(user.id),
        "email": user.email,
        "roles": list(user.roles),
        "permissions": list(user.permissions),
        "status": str(user.status),
        "email_verified": user.email_verified_at is not None,
    }
