"""Which storage errors mean the storage is out of reach for now, rather than that an object is missing or bad."""

from __future__ import annotations

import errno

from obstore.exceptions import GenericError, UnauthenticatedError

# A disk or network file system that failed, filled up or went read-only: a later run may succeed.
_UNAVAILABLE_ERRNOS = frozenset(
    {errno.EIO, errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.ESTALE, errno.ENOTCONN, errno.EHOSTDOWN}
)


def storage_unavailable(error: BaseException) -> bool:
    """True for an object store that did not answer (obstore's GenericError covers network and 5xx failures, or
    refused our credentials) and for local I/O failures of the disk itself; False for a missing object."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, GenericError | UnauthenticatedError):
            return True
        if isinstance(seen, OSError) and seen.errno in _UNAVAILABLE_ERRNOS:
            return True
        seen = seen.__cause__
    return False
