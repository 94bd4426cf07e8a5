"""The close codes of /api/v1/groups/{id}/ws (README "Chat protocol" lists them with their reasons)."""

from __future__ import annotations

PROTOCOL_ERROR = 4400  # a frame that is not JSON, has an unknown type, or is not text
UNAUTHENTICATED = 4401  # no token, an invalid or revoked one, or a service token
REMOVED = 4403  # the member was removed from the group, or left it (from another socket)
GROUP_NOT_FOUND = 4404  # no such group, or not a member (the same answer, as over HTTP)
TOKEN_EXPIRED = 4408  # the access token's exp passed: reconnect with a fresh token and after_seq
GROUP_ARCHIVED = 4410  # the group was archived
TOO_LARGE = 1009  # a frame over CHAT_REALTIME_MAX_FRAME_BYTES
UNAVAILABLE = 1013  # a dependency (the database) is unavailable: try again later
