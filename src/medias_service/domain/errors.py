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


class UploadNotFound(NotFoundError):
    """Also for another user's upload, and for one that expired: nobody learns that it exists."""

    code = "upload_not_found"
    title = "Upload not found"


class UploadOffsetMismatch(ConflictError):
    code = "upload_offset_mismatch"
    title = "Upload-Offset does not match the bytes received so far"


class UploadBusy(ConflictError):
    """Another request is sending bytes to this upload right now."""

    code = "upload_busy"
    title = "The upload is receiving another request's bytes"


class UploadLengthExceeded(PayloadTooLargeError):
    code = "upload_length_exceeded"
    title = "The bytes go past the announced Upload-Length"


class UploadCompleted(ConflictError):
    code = "upload_completed"
    title = "The upload is already complete"


class ChecksumMismatch(InvalidInputError):
    """Answered with 460 (tus checksum extension): the request's bytes were not kept."""

    code = "checksum_mismatch"
    title = "The bytes do not match Upload-Checksum"


class TusProtocolError(InvalidInputError):
    """Answered with 400: a tus header is missing or malformed."""

    code = "tus_invalid_request"
    title = "The request does not follow the tus protocol"


class InvalidUploadMetadata(InvalidMediaData):
    code = "invalid_upload_metadata"
    title = "Upload-Metadata is not comma-separated keys with base64 UTF-8 values"


class TusVersionUnsupported(InvalidInputError):
    """Answered with 412: the client speaks another tus version."""

    code = "tus_version_unsupported"
    title = "Tus-Resumable must be 1.0.0"


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


class EmailNotVerified(PermissionDeniedError):
    code = "email_not_verified"
    title = "The email address must be verified first"
