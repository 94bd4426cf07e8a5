"""medias_service's domain errors, each with a stable code."""

from __future__ import annotations

from qhitz_shared.errors import (
    AuthenticationError,
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


class FolderNotFound(NotFoundError):
    code = "folder_not_found"
    title = "Folder not found"


class InvalidFolderName(InvalidMediaData):
    code = "invalid_folder_name"
    title = "The folder name is not valid"


class NameTaken(ConflictError):
    code = "name_taken"
    title = "A folder of that name is already there"


class FolderCycle(ConflictError):
    code = "folder_cycle"
    title = "A folder cannot move into itself or one of its descendants"


class FolderInTrash(ConflictError):
    code = "folder_in_trash"
    title = "The folder is in the trash"


class ShareNotFound(NotFoundError):
    """Unknown, expired, revoked or exhausted links and links to something in trash all answer this: no oracle."""

    code = "share_not_found"
    title = "Share link not found"


class SharePasswordRequired(AuthenticationError):
    code = "share_password_required"
    title = "This link needs its password"


class SharePasswordWrong(SharePasswordRequired):
    code = "share_password_invalid"
    title = "The password of this link is not right"


class ShareDownloadNotAllowed(PermissionDeniedError):
    code = "share_download_not_allowed"
    title = "This link does not allow downloads"


class InvalidShare(InvalidInputError):
    code = "invalid_share"
    title = "The share link settings are not valid"
