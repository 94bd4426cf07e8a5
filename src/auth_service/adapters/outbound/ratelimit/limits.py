"""auth_service's rate-limit rules and their rates; the limiter and its storage are qhitz_shared.ratelimit's."""

from __future__ import annotations

import msgspec
from limits import RateLimitItem, parse

from auth_service.domain.limits import RateRule
from qhitz_shared.ratelimit import LimitsRateLimiter, RedisSettings, open_storage

__all__ = ["LimitsRateLimiter", "RateLimitSettings", "RedisSettings", "open_storage"]


class RateLimitSettings(msgspec.Struct, frozen=True):
    """AUTH_RATE_*: limits in the `limits` notation ("10/minute", "5 per 2 seconds"); an empty value disables one.
    Logins: 5 a minute per account from one address, 50 a minute per account from everywhere (ten addresses'
    worth, so one guesser cannot lock the owner out), 30 a minute per address whatever the account. Email
    verification and password reset are limited per client address and per account (a reset request per typed
    address, whether or not an account has it). API key exchanges: per client address, the end client's when a
    service exchanges on its behalf with its service token (not the service's, which all its users share)."""

    enabled: bool = True
    key_prefix: str = "qhitz-auth"
    login_ip: str = "30/minute"
    login_account_ip: str = "5/minute"
    login_account: str = "50/minute"
    register_ip: str = "10/hour"
    register_account: str = "3/hour"
    refresh_ip: str = "120/minute"
    refresh_account: str = "30/minute"
    password_ip: str = "10/minute"
    password_account: str = "5/minute"
    verify_ip: str = "30/minute"
    verify_resend_address: str = "5/hour"
    reset_ip: str = "20/hour"
    reset_address: str = "5/hour"
    reset_confirm_ip: str = "20/hour"
    reset_confirm_account: str = "10/hour"
    mfa_ip: str = "30/minute"
    mfa_account: str = "10/5 minutes"
    api_key_exchange_ip: str = "600/minute"

    def rules(self) -> dict[RateRule, RateLimitItem]:
        if not self.enabled:
            return {}
        rules: dict[RateRule, RateLimitItem] = {}
        for rule in RateRule:
            text = getattr(self, str(rule))
            if text:
                rules[rule] = parse(text)
        return rules
