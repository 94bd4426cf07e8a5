import uuid
from datetime import UTC, datetime, timedelta

import pytest

from main_service.domain import flags
from main_service.domain.errors import (
    CannotChangeSelf,
    EmailTaken,
    RegistrationDisabled,
    RoleNameTaken,
    SystemRoleProtected,
    UsernameTaken,
    UserNotFound,
)
from main_service.domain.sessions import Session, SessionRevoked
from main_service.domain.users import User, UserChanges, UserStatus
from main_service.services.bootstrap import AdminBootstrap, AdminOutcome
from main_service.services.directory import MIB, DirectoryService
from main_service.services.features import FeatureService
from main_service.services.roles import RoleService
from main_service.services.stats import StatsService
from main_service.services.token_check import LookupTokenCheck
from main_service.services.users import UserService
from qhitz_shared.errors import TokenRevokedError
from qhitz_shared.password_policy import PasswordPolicy, WeakPassword
from qhitz_shared.principal import Principal
from tests.main_service.unit.fakes import (
    FakeFlags,
    FakeHasher,
    FakeRoles,
    FakeSessions,
    FakeTokenStates,
    FakeUnitOfWork,
    FakeUsers,
    FakeVerification,
)


@pytest.fixture
def repos():
    roles = FakeRoles()
    return FakeUsers(roles), roles


async def register(repos, flags_values=None, **fields) -> User:
    users, roles = repos
    directory = DirectoryService(users, roles, FakeFlags(flags_values), FakeUnitOfWork(), FakeVerification())
    suffix = uuid.uuid4().hex[:8]
    data = {"email": f"u{suffix}@example.com", "username": f"u{suffix}", "password_hash": "h"} | fields
    return await directory.register(first_name=None, last_name=None, **data)


async def test_registration_gives_the_user_role(repos):
    user = await register(repos)
    assert user.roles == ["user"]
    assert "media:write" in user.permissions


async def test_registration_off_by_flag_is_refused(repos):
    with pytest.raises(RegistrationDisabled):
        await register(repos, {flags.USER_REGISTRATION: False})


async def test_duplicate_email_and_username_conflict(repos):
    first = await register(repos)
    with pytest.raises(EmailTaken):
        await register(repos, email=first.email.upper())
    with pytest.raises(UsernameTaken):
        await register(repos, username=first.username)


async def test_limits_come_from_flags(repos):
    users, roles = repos
    user = await register(repos)
    fake = FakeFlags({flags.MEDIA_MAX_UPLOAD_MB: 5, flags.MEDIA_STORAGE_QUOTA_MB: 50})
    limits = await DirectoryService(users, roles, fake, FakeUnitOfWork(), FakeVerification()).limits(user.id)
    assert (limits.max_upload_bytes, limits.storage_quota_bytes) == (5 * MIB, 50 * MIB)
    assert fake.seen[-1]["roles"] == ["user"]


async def test_profile_update_refuses_a_taken_email(repos):
    users, roles = repos
    a, b = await register(repos), await register(repos)
    service = UserService(users, roles, FakeUnitOfWork(), FakeVerification())
    with pytest.raises(EmailTaken):
        await service.update(b.id, UserChanges(email=a.email))
    updated = await service.update(b.id, UserChanges(first_name="Grace", last_name=""))
    assert (updated.first_name, updated.last_name) == ("Grace", None)


async def test_suspending_revokes_tokens_and_cannot_target_self(repos):
    users, roles = repos
    target = await register(repos)
    admin = Principal(subject=str(uuid.uuid4()))
    service = UserService(users, roles, FakeUnitOfWork(), FakeVerification())
    suspended = await service.set_status(admin, target.id, UserStatus.SUSPENDED)
    assert suspended.token_version == target.token_version + 1
    with pytest.raises(CannotChangeSelf):
        await service.set_status(Principal(subject=str(target.id)), target.id, UserStatus.ACTIVE)


async def test_granting_a_role_bumps_token_version_once_and_is_idempotent(repos):
    users, roles = repos
    user = await register(repos)
    service = RoleService(roles, users, FakeUnitOfWork())
    assert await service.grant(user.id, "moderator") == ["moderator", "user"]
    after_grant = (await users.get(user.id)).token_version
    assert after_grant == user.token_version + 1
    assert await service.grant(user.id, "moderator") == ["moderator", "user"]
    assert (await users.get(user.id)).token_version == after_grant
    assert await service.revoke(user.id, "moderator") == ["user"]
    with pytest.raises(UserNotFound):
        await service.grant(uuid.uuid4(), "user")


async def test_the_last_admin_keeps_the_admin_role(repos):
    users, roles = repos
    user = await register(repos)
    service = RoleService(roles, users, FakeUnitOfWork())
    await service.grant(user.id, "admin")
    with pytest.raises(SystemRoleProtected):
        await service.revoke(user.id, "admin")
    other = await register(repos)
    await service.grant(other.id, "admin")
    assert await service.revoke(user.id, "admin") == ["user"]


async def test_role_permission_change_revokes_holders_tokens(repos):
    users, roles = repos
    service = RoleService(roles, users, FakeUnitOfWork())
    role = await service.create("Editors", "edits", {"media:read"})
    assert role.name == "editors"
    with pytest.raises(RoleNameTaken):
        await service.create("editors", None, set())
    user = await register(repos)
    await service.grant(user.id, "editors")
    before = (await users.get(user.id)).token_version
    await service.set_permissions(role.id, {"media:read", "media:write"})
    assert (await users.get(user.id)).token_version == before + 1
    await service.delete(role.id)
    assert (await users.get(user.id)).roles == ["user"]


async def test_lookup_token_check(repos):
    users, _ = repos
    user = await register(repos)
    sessions = FakeSessions()
    check = LookupTokenCheck(FakeTokenStates(users, sessions))
    await check.check(Principal(subject=str(user.id), token_version=user.token_version))
    live = Session(
        id=uuid.uuid4(),
        user_id=user.id,
        family_id=uuid.uuid4(),
        generation=0,
        created_at=datetime.now(UTC),
        last_used_at=datetime.now(UTC),
        expires_at=datetime.now(UTC) + timedelta(days=7),
    )
    sessions.rows[live.id] = live
    await check.check(Principal(subject=str(user.id), token_version=user.token_version, session_id=str(live.id)))
    live.revoked_at = datetime.now(UTC)
    with pytest.raises(SessionRevoked):
        await check.check(Principal(subject=str(user.id), token_version=user.token_version, session_id=str(live.id)))
    with pytest.raises(SessionRevoked):
        await check.check(
            Principal(subject=str(user.id), token_version=user.token_version, session_id=str(uuid.uuid4()))
        )
    with pytest.raises(TokenRevokedError):
        await check.check(Principal(subject=str(user.id), token_version=user.token_version - 1))
    users.rows[user.id].status = UserStatus.SUSPENDED
    with pytest.raises(TokenRevokedError):
        await check.check(Principal(subject=str(user.id), token_version=user.token_version))
    await check.check(Principal(subject="service:auth", service="auth"))


async def test_features_merge_defaults_with_evaluated_flags(repos):
    users, _ = repos
    user = await register(repos)
    result = await FeatureService(users, FakeFlags({"new-ui": True})).for_user(user.id)
    assert result["new-ui"] is True
    assert result[flags.USER_REGISTRATION] is True


async def test_stats_cover_thirty_days_with_zeros(repos):
    users, _ = repos
    user = await register(repos)
    today = datetime.now(UTC).date()
    users.rows[user.id].created_at = datetime.now(UTC) - timedelta(days=2)
    stats = await StatsService(users).user_stats(today)
    assert len(stats.signups_per_day) == 30
    assert stats.signups_per_day[-1][0] == today
    assert dict(stats.signups_per_day)[today - timedelta(days=2)] == 1
    assert stats.by_status["active"] == 1


STRONG = "Quartz-Lantern-Meadow-77"


async def test_admin_bootstrap_is_idempotent(repos):
    users, roles = repos
    bootstrap = AdminBootstrap(users, roles, FakeHasher(), FakeUnitOfWork(), PasswordPolicy())
    admin, outcome = await bootstrap.ensure_admin("Root@Example.com", "root", STRONG)
    assert outcome is AdminOutcome.CREATED
    assert admin.roles == ["admin", "user"] and admin.password_hash == f"hashed:{STRONG}"
    again, outcome = await bootstrap.ensure_admin("root@example.com", None, None)
    assert outcome is AdminOutcome.UNCHANGED  # it printed "promoted" for an account that already was admin
    assert again.id == admin.id and again.password_hash == f"hashed:{STRONG}"
    _, outcome = await bootstrap.ensure_admin("root@example.com", None, "Cobalt-Fjord-Whistle-31")
    assert outcome is AdminOutcome.UPDATED


async def test_admin_bootstrap_promotes_an_existing_account(repos):
    users, roles = repos
    user = await register(repos)
    bootstrap = AdminBootstrap(users, roles, FakeHasher(), FakeUnitOfWork(), PasswordPolicy())
    promoted, outcome = await bootstrap.ensure_admin(user.email, None, None)
    assert outcome is AdminOutcome.PROMOTED and "admin" in promoted.roles


@pytest.mark.parametrize("password", ["short", "password123", "root-is-my-name-2024"])
async def test_admin_bootstrap_applies_the_password_policy(repos, password):
    """create-admin accepted a password the registration policy refuses."""
    users, roles = repos
    bootstrap = AdminBootstrap(users, roles, FakeHasher(), FakeUnitOfWork(), PasswordPolicy())
    with pytest.raises(WeakPassword):
        await bootstrap.ensure_admin("root@example.com", "root", password)
    assert await users.get_by_login("root@example.com") is None
    await bootstrap.ensure_admin("root@example.com", "root", STRONG)
    with pytest.raises(WeakPassword):  # nor for an existing admin's new password
        await bootstrap.ensure_admin("root@example.com", None, password)


async def test_the_last_active_admin_cannot_be_suspended_or_deactivated(repos):
    users, roles = repos
    first, second = await register(repos), await register(repos)
    role_service = RoleService(roles, users, FakeUnitOfWork())
    await role_service.grant(first.id, "admin")
    await role_service.grant(second.id, "admin")
    service = UserService(users, roles, FakeUnitOfWork(), FakeVerification())
    actor = Principal(subject=str(uuid.uuid4()))
    await service.set_status(actor, second.id, UserStatus.SUSPENDED)
    for status in (UserStatus.SUSPENDED, UserStatus.DEACTIVATED):
        with pytest.raises(SystemRoleProtected):
            await service.set_status(actor, first.id, status)
    await service.set_status(actor, second.id, UserStatus.ACTIVE)
    await service.set_status(actor, first.id, UserStatus.DEACTIVATED)
