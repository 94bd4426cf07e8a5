"""Named rate-limit rules: each protected action is limited per client IP and per account (login also per account
and client IP, well below its per-account ceiling, so a guesser elsewhere cannot lock the owner out)."""

from __future__ import annotations

import enum


class RateRule(enum.StrEnum):
    LOGIN_IP = "login_ip"
    LOGIN_ACCOUNT_IP = "login_account_ip"
    LOGIN_ACCOUNT = "login_account"
    REGISTER_IP = "register_ip"
    REGISTER_ACCOUNT = "register_account"
    REFRESH_IP = "refresh_ip"
    REFRESH_ACCOUNT = "refresh_account"
    PASSWORD_IP = "password_ip"
    PASSWORD_ACCOUNT = "password_account"
    VERIFY_IP = "verify_ip"
    VERIFY_RESEND_ADDRESS = "verify_resend_address"
    RESET_IP = "reset_ip"
    RESET_ADDRESS = "reset_address"
    RESET_CONFIRM_IP = "reset_confirm_ip"
    RESET_CONFIRM_ACCOUNT = "reset_confirm_account"
    MFA_IP = "mfa_ip"
    MFA_ACCOUNT = "mfa_account"
    API_KEY_EXCHANGE_IP = "api_key_exchange_ip"
