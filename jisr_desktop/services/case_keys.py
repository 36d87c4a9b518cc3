"""A counsellor's key for sealed notes, obtained and unlocked at sign-in (docs/security.md,
"Sealed notes").

The sign-in screen calls `after_sign_in` with the password just checked. On a desktop
enrolled for counselling, a counsellor's stored key is unlocked with it (offline too); the
first time (or after the desktop was enrolled again, or her password changed at HQ), HQ is
asked once to register a key, which needs HQ to be reachable. Without a registered key her
notes are kept here and HQ refuses them until she signs in once while HQ can be reached.
"""

from __future__ import annotations

import logging

from jisr_desktop.context import Context
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.roles import Role
from jisr_desktop.sync import sealed
from jisr_desktop.sync.client import SyncClient, SyncFailed, state

log = logging.getLogger("jisr.sync")

UNLOCKED, REGISTERED, NOT_NEEDED, OFFLINE, REFUSED = (
    "unlocked", "registered", "not_needed", "offline", "refused")


def after_sign_in(*, ctx: Context, password: str, online: bool = True) -> str:
    """Unlock (or obtain) the signed-in counsellor's key; never raises. Returns one of
    UNLOCKED, REGISTERED, NOT_NEEDED (not a counsellor, or a desktop not enrolled for
    counselling), OFFLINE (no registered key and HQ out of reach) or REFUSED (HQ said no)."""
    user = ctx.user
    sealed.forget(ctx.db, keep=user.id)  # one person at the keyboard: no other key stays open
    try:
        if user.role != Role.COUNSELLOR or not counselling_desktop(ctx):
            return NOT_NEEDED
        hq_device = state(ctx.db).device_id
        if (sealed.unlock(ctx.db, user.id, password)
                and sealed.registered_for(ctx.db, user.id) == hq_device):
            with transaction(ctx.db):
                sealed.sign_pending(ctx.db, user.id)
            return UNLOCKED
        if not online:
            return OFFLINE
        SyncClient(ctx.db, user=user, clock=ctx.clock).register_case_key(password)
        return REGISTERED
    except SyncFailed as exc:
        log.info("no sealed-notes key for %s yet: %s", user.username, exc.code)
        return OFFLINE if exc.code == "unreachable" else REFUSED
    except Exception:  # a sign-in must not fail because of this
        log.exception("sealed-notes key for %s", user.username)
        return REFUSED


def counselling_desktop(ctx: Context) -> bool:
    row = ctx.db.execute("SELECT counselling, device_id FROM sync_state WHERE id = 1").fetchone()
    return bool(row and row[0] and row[1])


def signed_out() -> None:
    """Nobody at the keyboard any more: drop every unlocked key."""
    sealed.forget()
