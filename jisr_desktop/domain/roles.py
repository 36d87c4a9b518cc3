"""Roles and what each may do. Services check these; the UI hides what a role cannot do."""

from __future__ import annotations

from enum import StrEnum

from jisr_protocol import ROLES


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    COORDINATOR = "coordinator"
    COUNSELLOR = "counsellor"
    ADMIN = "admin"
    SYSTEM = "system"  # the program itself: demo data, sync, migrations


STAFF_ROLES = tuple(Role(name) for name in ROLES)
"""The roles a person can hold, in the protocol's order (HQ's staff rows carry the same)."""
assert set(STAFF_ROLES) == set(Role) - {Role.SYSTEM}, "jisr_protocol.ROLES and Role differ"


class Permission(StrEnum):
    REGISTER_PERSON = "register_person"
    EDIT_PERSON = "edit_person"
    MANAGE_HOUSEHOLDS = "manage_households"
    MERGE_PERSONS = "merge_persons"
    MANAGE_ACCOUNTS = "manage_accounts"
    LOG_VISIT = "log_visit"
    CHECK_IN = "check_in"
    MANAGE_ENROLLMENTS = "manage_enrollments"
    OVERRIDE_PICKUP = "override_pickup"
    VIEW_REPORTS = "view_reports"
    REVIEW_CONFLICTS = "review_conflicts"
    CASE_NOTES = "case_notes"
    MANAGE_SETTINGS = "manage_settings"
    SYNC = "sync"


_FRONT_DESK = {
    Permission.REGISTER_PERSON, Permission.EDIT_PERSON, Permission.MANAGE_HOUSEHOLDS,
    Permission.LOG_VISIT, Permission.CHECK_IN, Permission.SYNC,
}
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RECEPTIONIST: frozenset(_FRONT_DESK),
    Role.COUNSELLOR: frozenset(_FRONT_DESK | {Permission.CASE_NOTES}),
    Role.COORDINATOR: frozenset(set(Permission) - {Permission.CASE_NOTES}),
    Role.ADMIN: frozenset(set(Permission) - {Permission.CASE_NOTES}),
    Role.SYSTEM: frozenset(Permission),
}


def can(role: str, permission: Permission) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
