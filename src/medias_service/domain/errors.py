"""medias_service's domain errors, each with a stable code."""

from __future__ import annotations

from qhitz_shared.errors import (
    ConflictError,
    InsufficientStorageError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
)


class MediaNotFound(NotFoundError):
    code = "media_not_found"
    title = "Media not found"


class VersionNotFound(NotFoundError):
    code = "version_not_found"
    title = "Version not found"


class SizeNotFound(NotFoundError):
    code = "size_not_found"
    title = "Size not found"


class FileTooLarge(PayloadTooLargeError):
    code = "file_too_large"
    title = "The file is larger than your upload limit"


class QuotaExceeded(InsufficientStorageError):
    code = "quota_exceeded"
    title = "The upload would exceed your storage quota"


class UnsupportedMediaType(InvalidInputError):
    """Answered with 415: the content's sniffed type is not on the allow-list (or the request is not multipart)."""

    code = "unsupported_media_type"
    title = "This type of content is not accepted"


class ContentTypeMismatch(UnsupportedMediaType):
    code = "content_type_mismatch"
    title = "The content contradicts its declared type"


class MalformedUpload(InvalidInputError):
    """Answered with 400: the multipart body cannot be read."""

    code = "malformed_upload"
    title = "The upload body is not valid multipart/form-data"


class UploadIncomplete(MalformedUpload):
    code = "upload_incomplete"
    title = "The upload ended before the whole body arrived"


class MissingFilePart(InvalidInputError):
    code = "missing_file"
    title = "The form has no 'file' part"


class EmptyFile(InvalidInputError):
    code = "empty_file"
    title = "The file is empty"


class InvalidMediaData(InvalidInputError):
    code = "invalid_media_data"
    title = "The media data is not valid"


class InvalidTag(InvalidMediaData):
    code = "invalid_tag"
    title = "A tag is not valid"


class AlreadyInTrash(ConflictError):
    code = "already_in_trash"
    title = "The media is already in the trash"


class NotInTrash(ConflictError):
    code = "not_in_trash"
    title = "The media is not in the trash"


class OwnerUnknown(PermissionDeniedError):
    code = "owner_unknown"
    title = "Your account is not known to the user directory"


class EmailNotVerified(PermissionDeniedError):
    code = "email_not_verified"
    title = "The email address must be verified first"
