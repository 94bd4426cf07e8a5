"""The permission catalogue and the system roles, defined once here and synced into the database by migration."""

from __future__ import annotations

from types import MappingProxyType

PERMISSIONS = MappingProxyType(
    {
        "users:read": "List and view any user",
        "users:write": "Edit, suspend, reactivate and deactivate any user",
        "roles:manage": "Create, edit and delete roles; grant and revoke roles",
        "media:read": "View own media",
        "media:write": "Upload and edit own media",
        "media:delete": "Delete own media",
        "media:read:any": "View anyone's media",
        "media:write:any": "Edit and reprocess anyone's media",
        "media:delete:any": "Delete anyone's media",
        "admin:stats": "View platform statistics",
        "dental:patients:read": "Dental practice: list and view patients (without clinical fields)",
        "dental:patients:write": "Dental practice: register, edit and deactivate patients",
        "dental:clinical:read": "Dental practice: read patients' allergies, medical notes and treatments",
        "dental:clinical:write": "Dental practice: edit allergies, medical notes and treatments",
        "dental:appointments:read": "Dental practice: view dentists, schedules and appointments",
        "dental:appointments:write": "Dental practice: book, reschedule and move appointments; manage dentists",
        "dental:billing:read": "Dental practice: view the billing ledger, balances and payment status",
        "dental:billing:write": "Dental practice: record payments, adjustments and refunds",
        "dental:stats": "Dental practice: practice statistics and the clinical access log",
        "studio:use": "Own studio projects, credits and generation jobs",
        "studio:read:any": "View anyone's studio projects, jobs and credits",
        "studio:write:any": "Edit, archive and cancel anyone's studio projects and jobs",
        "credits:adjust": "Grant or adjust anyone's studio credits",
    }
)

ADMIN, MODERATOR, USER = "admin", "moderator", "user"
RECEPTIONIST, DENTIST = "receptionist", "dentist"
DENTAL = frozenset(code for code in PERMISSIONS if code.startswith("dental:"))

# Core permissions of each system role: never removed, whatever else an admin edits.
SYSTEM_ROLES = MappingProxyType(
    {
        ADMIN: ("Full access to the platform", frozenset(PERMISSIONS)),
        MODERATOR: (
            "Moderates media and reads users",
            frozenset(
                {"users:read", "media:read", "media:write", "media:delete", "studio:use"}
                | {code for code in PERMISSIONS if code.startswith(("media:", "studio:")) and code.endswith(":any")}
            ),
        ),
        USER: (
            "A registered user: own profile, own media, own studio work",
            frozenset({"media:read", "media:write", "media:delete", "studio:use"}),
        ),
        RECEPTIONIST: (
            "Dental front desk: patients, appointments and billing",
            frozenset(
                {
                    "dental:patients:read",
                    "dental:patients:write",
                    "dental:appointments:read",
                    "dental:appointments:write",
                    "dental:billing:read",
                    "dental:billing:write",
                }
            ),
        ),
        DENTIST: ("Dental chair side: everything dental except recording payments", DENTAL - {"dental:billing:write"}),
    }
)

DEFAULT_ROLE = USER
