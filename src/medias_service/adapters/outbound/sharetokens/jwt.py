"""JwtShareAccessTokens: HS256 tokens (PyJWT) proving a link's password was given, bound to the link and to its
current password hash (changing the password voids every token issued before)."""

from __future__ import annotations

import hashlib
import time

import jwt

from medias_service.domain.shares import ShareLink

AUDIENCE = "qhitz-share"


def _password_tag(link: ShareLink) -> str:
    return hashlib.sha256((link.password_hash or "").encode()).hexdigest()[:32]


class JwtShareAccessTokens:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self._ttl = ttl_seconds

    def issue(self, link: ShareLink) -> tuple[str, int]:
        claims = {"sub": str(link.id), "pwd": _password_tag(link), "aud": AUDIENCE, "exp": int(time.time()) + self._ttl}
        return jwt.encode(claims, self._secret, algorithm="HS256"), self._ttl

    def valid(self, token: str, link: ShareLink) -> bool:
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], audience=AUDIENCE)
        except jwt.PyJWTError:
            return False
        return claims.get("sub") == str(link.id) and claims.get("pwd") == _password_tag(link)
