"""The center a database belongs to: created once, by `jisr init` or the first-run wizard.
Reading it (`current_center`) lives in `db.center`, below the services and the reports."""

from __future__ import annotations

import re

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db import meta
from jisr_desktop.db.center import (  # noqa: F401 (re-exported for the screens)
    MAX_NURSERY_CAPACITY,
    Center,
    current_center,
    nursery_capacity,
)
from jisr_desktop.db.connection import transaction
from jisr_desktop.i18n import N_


def create_center(*, ctx: Context, code: str, name_fr: str, name_ar: str,
                  province_code: str | None) -> Center:
    """Make this database the database of one center (once)."""
    if current_center(ctx.db) is not None:
        raise errors.JisrError(N_("This database already belongs to a center."))
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,12}", code):
        raise errors.JisrError(N_("The center code must be 2 to 12 letters or digits."), field="code")
    if not (name_fr.strip() or name_ar.strip()):
        raise errors.JisrError(N_("Enter the center's name."), field="name_ar")
    if province_code and not ctx.db.execute(
            "SELECT 1 FROM admin_division WHERE code = ? AND kind != 'region'", [province_code]).fetchone():
        raise errors.JisrError(N_("Choose a province from the list."), field="province_code")
    center_id = ledger.new_id()
    with transaction(ctx.db):
        ctx.db.execute("INSERT INTO center(id, code, name_fr, name_ar, province_code) VALUES (?,?,?,?,?)",
                       [center_id, code, name_fr.strip(), name_ar.strip(), province_code])
        meta.put(ctx.db, "center_id", center_id)
        meta.put(ctx.db, "center_code", code)
        ledger.device_id(ctx.db)
        ledger.audit(ctx, "create_center", "center", center_id, {"code": [None, code]})
    center = current_center(ctx.db)
    assert center is not None
    return center
