"""ORM rows to domain entities and back."""

from __future__ import annotations

from main_service.adapters.outbound.persistence.models import RoleModel, UserModel
from main_service.domain.roles import Role
from main_service.domain.users import User, UserStatus


def role_to_domain(model: RoleModel) -> Role:
    return Role(
        id=model.id,
        name=model.name,
        description=model.description,
        is_system=model.is_system,
        permissions=frozenset(p.code for p in model.permissions),
        created_at=model.created_at,
        updated_at=model.updated_at,
    )


def user_to_domain(model: UserModel) -> User:
    return User(
        id=model.id,
        email=model.email,
        username=model.username,
        password_hash=model.password_hash,
        first_name=model.first_name,
        last_name=model.last_name,
        status=UserStatus(model.status),
        token_version=model.token_version,
        last_login_at=model.last_login_at,
        email_verified_at=model.email_verified_at,
        totp_enabled_at=model.totp_enabled_at,
        totp_secret=model.totp_secret,
        created_at=model.created_at,
        updated_at=model.updated_at,
        roles=sorted(role.name for role in model.roles),
        permissions=sorted({p.code for role in model.roles for p in role.permissions}),
    )


def copy_user_fields(user: User, model: UserModel) -> None:
    """The verification and TOTP columns have their own statements; a verification belongs to one address."""
    if model.email is not None and model.email != user.email:
        model.email_verified_at = None
    model.email = user.email
    model.username = user.username
    model.password_hash = user.password_hash
    model.first_name = user.first_name
    model.last_name = user.last_name
    model.status = str(user.status)
    model.token_version = user.token_version
    model.last_login_at = user.last_login_at
