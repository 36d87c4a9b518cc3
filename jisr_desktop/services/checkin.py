"""One-step check-in at reception: a typed or scanned member card code checks its holder
into the right service (nursery child, club member, or the workshop session running now)
and returns what the reception screen shows."""

from __future__ import annotations

from jisr_desktop import errors
from jisr_desktop.context import Context
from jisr_desktop.db import persons
from jisr_desktop.domain.attendance import Alert, Arrival
from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_
from jisr_desktop.services import cards, club, nursery, workshops
from jisr_desktop.services.enrollments import CLUB, NURSERY, WORKSHOP


class UnknownCard(errors.JisrError):
    msgid = N_("No member card has this code. Type it again or search the person by name.")


def check_in_by_code(*, ctx: Context, code: str) -> Arrival:
    """Check in the holder of the card `code` (spaces, lower case and a dash are tolerated).
    A revoked card checks nobody in: the result names its holder and says why."""
    ctx.require(Permission.CHECK_IN)
    card = cards.find_card(ctx=ctx, code=code)
    if card is None:
        raise UnknownCard(field="code")
    if card.revoked:
        holder = persons.get(ctx.db, card.person_id)
        return Arrival(person_id=card.person_id, name_ar=holder.display_name_ar if holder else "",
                       name_lat=holder.display_name_lat if holder else "", service=card.service,
                       checked_in=False, alerts=[Alert("revoked_card", N_(
                           "This card was replaced by a newer one and no longer works."), blocks=True)])
    if card.service == NURSERY:
        return nursery.check_in_child(ctx=ctx, child_id=card.person_id, card_code=card.code)
    if card.service == CLUB:
        return club.check_in_member(ctx=ctx, person_id=card.person_id, card_code=card.code)
    if card.service == WORKSHOP:
        return workshops.check_in_participant(ctx=ctx, person_id=card.person_id, card_code=card.code)
    raise UnknownCard(field="code")
