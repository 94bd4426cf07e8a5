"""argon2id password hashing off the event loop, bounded to one concurrent hash per core."""

from __future__ import annotations

import asyncio
import os
from typing import ClassVar

import argon2
import msgspec
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Settings(msgspec.Struct, frozen=True):
    """ARGON2_*: defaults are OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane)."""

    env_prefix: ClassVar[str] = "ARGON2_"

    time_cost: int = 2
    memory_kib: int = 19 * 1024
    parallelism: int = 1


class Argon2PasswordHasher:
    """Hashes and verifies with argon2id in worker threads; ``verify_dummy`` costs what a real check costs."""

    def __init__(self, settings: Argon2Settings, *, max_concurrency: int | None = None) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=settings.time_cost,
            memory_cost=settings.memory_kib,
            parallelism=settings.parallelism,
            type=argon2.Type.ID,
        )
        self._limit = max_concurrency or os.cpu_count() or 1
        self._semaphore: asyncio.Semaphore | None = None
        self._dummy_hash = self._hasher.hash("qhitz-dummy-password")

    def _gate(self) -> asyncio.Semaphore:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self._limit)
        return self._semaphore

    async def hash(self, password: str) -> str:
        async with self._gate():
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        async with self._gate():
            return await asyncio.to_thread(self._verify_sync, password_hash, password)

    async def verify_dummy(self, password: str) -> None:
        await self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def _verify_sync(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
