"""chat_service's domain errors, each with a stable code."""

from __future__ import annotations

from qhitz_shared.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError


class GroupNotFound(NotFoundError):
    """Also what a non-member hears about a group that exists: membership is not disclosed."""

    code = "group_not_found"
    title = "Group not found"


class UserNotFound(NotFoundError):
    code = "user_not_found"
    title = "No platform user has this email"


class MemberNotFound(NotFoundError):
    code = "member_not_found"
    title = "Not a member of this group"


class MessageNotFound(NotFoundError):
    code = "message_not_found"
    title = "Message not found"


class GroupRoleRequired(PermissionDeniedError):
    code = "group_role_required"
    title = "Your role in this group does not allow this"


class NotMessageAuthor(PermissionDeniedError):
    code = "not_message_author"
    title = "Only the author can change a message"


class AlreadyMember(ConflictError):
    code = "already_member"
    title = "The user is already a member"


class LastOwner(ConflictError):
    code = "last_owner"
    title = "The last owner cannot leave or step down; hand the group over first"


class GroupArchived(ConflictError):
    code = "group_archived"
    title = "The group is archived"


class MessageDeleted(ConflictError):
    code = "message_deleted"
    title = "The message was deleted"


class InvalidChatInput(InvalidInputError):
    code = "invalid_chat_input"
    title = "The chat request is not valid"


class ItemNotPlayable(NotFoundError):
    """The media does not exist for the sharer, or the share link is unknown or expired."""

    code = "item_not_playable"
    title = "The item cannot be played: no readable media or valid share link"
