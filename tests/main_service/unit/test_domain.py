import uuid

import pytest

from main_service.domain.errors import (
    InvalidRoleData,
    InvalidStatusTransition,
    InvalidUserData,
    SystemRoleProtected,
    UnknownPermission,
)
from main_service.domain.permissions import PERMISSIONS, SYSTEM_ROLES
from main_service.domain.roles import Role, normalize_role_name
from main_service.domain.users import User, UserStatus, normalize_email, normalize_name, normalize_username


def test_email_is_trimmed_and_lower_cased():
    assert normalize_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"


@pytest.mark.parametrize(
    "bad", ["", "no-at-sign", "a@b", "a b@example.com", "x@-example.com", "a@" + "x" * 260 + ".com"]
)
def test_invalid_emails_are_refused(bad):
    with pytest.raises(InvalidUserData):
        normalize_email(bad)


@pytest.mark.parametrize("bad", ["ab", "-abc", "abc-", "has space", "ünïcode", "x" * 33, "../etc"])
def test_invalid_usernames_are_refused(bad):
    with pytest.raises(InvalidUserData):
        normalize_username(bad)


def test_username_is_lower_cased():
    assert normalize_username(" Ada_L ") == "ada_l"


def test_names_fold_whitespace_and_refuse_control_characters():
    assert normalize_name("  Ada   King ", "first_name") == "Ada King"
    assert normalize_name("", "first_name") is None
    with pytest.raises(InvalidUserData):
        normalize_name("bad\x07name", "first_name")


def test_status_transitions_bump_token_version():
    user = User(id=uuid.uuid4(), email="a@example.com", username="ada", password_hash=None)
    user.suspend()
    assert (user.status, user.token_version) == (UserStatus.SUSPENDED, 1)
    with pytest.raises(InvalidStatusTransition):
        user.suspend()
    user.reactivate()
    assert (user.status, user.token_version) == (UserStatus.ACTIVE, 2)
    user.deactivate()
    with pytest.raises(InvalidStatusTransition):
        user.deactivate()


def test_admin_holds_every_permission_and_moderator_moderates_media():
    assert SYSTEM_ROLES["admin"][1] == frozenset(PERMISSIONS)
    assert {"media:read:any", "media:write:any", "media:delete:any", "users:read"} <= SYSTEM_ROLES["moderator"][1]
    assert "users:write" not in SYSTEM_ROLES["moderator"][1]
    assert not any(code.endswith(":any") for code in SYSTEM_ROLES["user"][1])


def test_system_roles_keep_core_permissions_and_cannot_be_renamed_or_deleted():
    admin = Role(id=uuid.uuid4(), name="admin", is_system=True, permissions=SYSTEM_ROLES["admin"][1])
    with pytest.raises(SystemRoleProtected):
        admin.replace_permissions({"users:read"})
    with pytest.raises(SystemRoleProtected):
        admin.rename("root")
    with pytest.raises(SystemRoleProtected):
        admin.ensure_deletable()


def test_custom_roles_accept_only_known_permissions():
    role = Role(id=uuid.uuid4(), name="editor")
    role.replace_permissions({"media:read"})
    assert role.permissions == {"media:read"}
    with pytest.raises(UnknownPermission):
        role.replace_permissions({"media:read", "media:fly"})


@pytest.mark.parametrize("bad", ["a", "1abc", "has space", "x" * 51, "UPPER!"])
def test_role_names_are_validated(bad):
    with pytest.raises(InvalidRoleData):
        normalize_role_name(bad)


def test_text_people_compare_is_nfc_before_it_is_checked():
    import unicodedata

    from main_service.domain.roles import normalize_role_description

    decomposed = unicodedata.normalize("NFD", "J\u00fcrgen@Example.com")
    assert normalize_email(decomposed) == "j\u00fcrgen@example.com"
    assert normalize_name(unicodedata.normalize("NFD", "\u00e9" * 100), "first_name") == "\u00e9" * 100
    assert normalize_role_description(unicodedata.normalize("NFD", " Caf\u00e9\nstaff ")) == "Caf\u00e9\nstaff"
    for bad in ("a\x00b", "a\x01b", "a\x7fb"):
        with pytest.raises(InvalidUserData):
            normalize_name(bad, "first_name")
    with pytest.raises(InvalidUserData):
        normalize_email("a\x85b@example.com")


def test_dental_roles_split_the_practice_permissions():
    dental = {code for code in PERMISSIONS if code.startswith("dental:")}
    assert len(dental) == 9
    assert SYSTEM_ROLES["dentist"][1] == dental - {"dental:billing:write"}
    receptionist = SYSTEM_ROLES["receptionist"][1]
    assert {"dental:billing:write", "dental:appointments:write", "dental:patients:write"} <= receptionist
    assert not receptionist & {"dental:clinical:read", "dental:clinical:write", "dental:stats"}
    assert dental <= SYSTEM_ROLES["admin"][1]
    assert not dental & SYSTEM_ROLES["user"][1]
