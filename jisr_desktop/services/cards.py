"""Member cards: an opaque random code per enrolled person and service.

The code is the only thing printed in the barcode; it says nothing about the person. Reprinting
a card (lost, damaged) revokes every earlier code of that person and service, so a lost card
cannot be used to check someone in.

A printed card is recorded (`record_printed`, an audit entry ``print_card`` per card): the card
sheet can then print only the cards never printed — new members' cards and reprints.
"""

from __future__ import annotations

from dataclasses import dataclass

from jisr_desktop import errors, ledger
from jisr_desktop.context import Context
from jisr_desktop.db.connection import transaction
from jisr_desktop.db.rows import query
from jisr_desktop.domain import cards as card_rules
from jisr_desktop.domain.roles import Permission

PRINT_ACTION = "print_card"  # as reports.cards_sheet.PRINT_ACTION reads it


@dataclass(frozen=True)
class Card:
    id: str
    code: str
    person_id: str
    service: str
    issued_at: str
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        return card_rules.format_code(self.code)


def _card(row: dict[str, object]) -> Card:
    return Card(id=str(row["id"]), code=str(row["code"]), person_id=str(row["person_id"]),
                service=str(row["service"]), issued_at=str(row["issued_at"]),
                revoked_at=row["revoked_at"] if row["revoked_at"] else None)  # type: ignore[arg-type]


def live_card(ctx: Context, person_id: str, service: str) -> Card | None:
    found = query(ctx.db, "SELECT * FROM member_card WHERE person_id = ? AND service = ?"
                         " AND revoked_at IS NULL AND deleted = 0 ORDER BY issued_at DESC, id LIMIT 1",
                 [person_id, service])
    return _card(found[0]) if found else None


def issue(ctx: Context, person_id: str, service: str) -> Card:
    """A new code for (person, service), revoking the earlier ones (call inside a transaction)."""
    now = ctx.now().isoformat()
    for old in query(ctx.db, "SELECT id FROM member_card WHERE person_id = ? AND service = ?"
                            " AND revoked_at IS NULL AND deleted = 0", [person_id, service]):
        ledger.write_record(ctx, "member_card", old["id"], {"revoked_at": now}, action="revoke_card")
    while True:
        code = card_rules.new_code()
        if not ctx.db.execute("SELECT 1 FROM member_card WHERE code = ?", [code]).fetchone():
            break
    card_id = ledger.new_id()
    ledger.write_record(ctx, "member_card", card_id, {
        "person_id": person_id, "service": service, "code": code, "issued_at": now},
        action="issue_card")
    card = live_card(ctx, person_id, service)
    assert card is not None
    return card


def ensure_card(ctx: Context, person_id: str, service: str) -> Card:
    """The person's live card for the service, issuing one if there is none."""
    return live_card(ctx, person_id, service) or issue(ctx, person_id, service)


def card_of(*, ctx: Context, person_id: str, service: str) -> Card | None:
    return live_card(ctx, person_id, service)


def reprint_card(*, ctx: Context, person_id: str, service: str) -> Card:
    """A new card for a lost or damaged one; the old code stops working at once."""
    ctx.require(Permission.CHECK_IN)
    if not ctx.db.execute("SELECT 1 FROM enrollment WHERE person_id = ? AND service = ? AND deleted = 0",
                          [person_id, service]).fetchone():
        raise errors.NotFound()
    with transaction(ctx.db):
        return issue(ctx, person_id, service)


def find_card(*, ctx: Context, code: str) -> Card | None:
    """The card with this code as typed or scanned; a live card wins over a revoked one."""
    normal = card_rules.normalize_code(code)
    if normal is None:
        return None
    found = query(ctx.db, "SELECT * FROM member_card WHERE code = ? AND deleted = 0"
                         " ORDER BY revoked_at IS NOT NULL, issued_at DESC LIMIT 1", [normal])
    return _card(found[0]) if found else None


def record_printed(*, ctx: Context, card_ids: list[str], output: str = "printer") -> int:
    """Record that these cards were printed (or written to a PDF to print): they leave the
    "new or reprinted" sheet. Returns how many were recorded."""
    with transaction(ctx.db):
        for card_id in card_ids:
            ledger.audit(ctx, PRINT_ACTION, "member_card", card_id, {"output": output})
    return len(card_ids)
