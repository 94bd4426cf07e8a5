"""Structured security events (never a password): one logger, stable event names."""

from __future__ import annotations

import structlog

security_log = structlog.get_logger("auth.security")
