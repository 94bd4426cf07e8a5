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
    worth, so one guesser cannot lock the owner out), 30 a minute per address whatever the account."""

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

    def rules(self) -> dict[RateRule, RateLimitItem]:
        if not self.enabled:
            return {}
        rules: dict[RateRule, RateLimitItem] = {}
        for rule in RateRule:
            text = getattr(self, str(rule))
            if text:
                rules[rule] = parse(text)
        return rules
