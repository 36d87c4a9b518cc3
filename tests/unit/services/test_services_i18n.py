"""The services' messages reach people in Arabic and French (catalogs filled, plurals right)."""

from __future__ import annotations

from jisr_desktop.domain.attendance import Alert
from jisr_desktop.i18n import translate, translate_plural
from jisr_desktop.services.checkin import UnknownCard
from jisr_desktop.services.nursery import PickupRefused


def test_alerts_and_errors_are_translated() -> None:
    alert = Alert("allergy", "Allergy: {text}", {"text": "lait"}, needs_ack=True)
    assert alert.text("fr") == "Allergie : lait"
    assert alert.text("ar") == "حساسية: lait"
    assert PickupRefused().message("fr").startswith("Cette personne n'est pas autorisée")
    assert UnknownCard().message("ar").startswith("لا توجد بطاقة عضو")
    assert translate("Membership expired on {date}: renew it.", "fr", date="31/10/2026") == \
        "Adhésion expirée le 31/10/2026 : renouvelez-la."


def test_still_here_plural_in_arabic_and_french() -> None:
    one, many = "{n} child still here", "{n} children still here"
    assert translate_plural(one, many, 2, "ar") == "طفلان باقيان هنا"
    assert translate_plural(one, many, 5, "ar") == "5 أطفال باقون هنا"
    assert translate_plural(one, many, 1, "fr") == "1 enfant encore là"
    assert translate_plural(one, many, 3, "fr") == "3 enfants encore là"
