"""Composition root: main_service is its controllers, its providers and its start-up warm-ups."""

from __future__ import annotations

from main_service.adapters.inbound.http.features import AdminController, FeaturesController
from main_service.adapters.inbound.http.internal import DirectoryController, LimitsController
from main_service.adapters.inbound.http.internal_accounts import AccountRecoveryController
from main_service.adapters.inbound.http.internal_api_keys import ApiKeysController
from main_service.adapters.inbound.http.internal_mfa import MfaAdminController, MfaStateController
from main_service.adapters.inbound.http.revocations import RevocationsController
from main_service.adapters.inbound.http.roles import PermissionsController, RolesController, UserRolesController
from main_service.adapters.inbound.http.sessions import SessionsController, UserSessionsController
from main_service.adapters.inbound.http.users import ProfileController, UsersController
from main_service.main.accounts import AccountsProvider, accounts_use_cases, mail_background
from main_service.main.providers import MainProvider, main_use_cases
from main_service.main.revocation import EventFedTokenCheck, MainRevocationProvider
from main_service.main.settings import MainSettings
from main_service.ports.flags import FeatureFlags
from qhitz_shared.providers import PasswordProvider
from qhitz_shared.service import ServiceSpec

CONTROLLERS = [
    ProfileController,
    UsersController,
    RolesController,
    UserRolesController,
    PermissionsController,
    FeaturesController,
    AdminController,
    DirectoryController,
    LimitsController,
    AccountRecoveryController,
    MfaStateController,
    MfaAdminController,
    ApiKeysController,
    RevocationsController,
    SessionsController,
    UserSessionsController,
]

SERVICE = ServiceSpec(
    MainSettings,
    CONTROLLERS,
    lambda _: [
        PasswordProvider(),
        MainProvider(),
        main_use_cases(),
        MainRevocationProvider(),
        AccountsProvider(),
        accounts_use_cases(),
    ],
    description="Users, roles, permissions and feature flags; the internal user directory.",
    principal_check=EventFedTokenCheck,
    warm_up=[FeatureFlags],  # a broken flags payload fails the start, not the first request
    background=mail_background,
)
make_container = SERVICE.make_container
create_http_app = SERVICE.create_http_app
