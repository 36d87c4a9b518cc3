"""Short msgids with several meanings get a gettext context each, and distinct translations."""

from __future__ import annotations

import pytest

from jisr_desktop.i18n import translate
from jisr_desktop.reports import monthly
from jisr_desktop.reports.common import label_in

# msgid -> {context (None: the plain msgid): meaning}. Meanings that may share a word in a
# language are listed in SAME_WORD, by decision, not by accident.
AMBIGUOUS: dict[str, dict[str | None, str]] = {
    "Place": {"campaign location": "where a campaign was held", "waitlist rank": "rank on the waitlist",
              None: "rank on the waitlist (nursery screen)"},
    "Status": {"attendance mark": "present, late, excused or absent", "record status": "state of a record",
               None: "state of a record or enrollment"},
    "Date": {"calendar day": "the day something happened", None: "a day or a moment"},
}
SAME_WORD = {
    ("fr", "Date"), ("ar", "Date"),  # a day and a moment: "Date", "التاريخ" in both meanings
}
MEANING_GROUPS = {  # contexts that mean the same thing as the plain msgid
    ("Place", "waitlist rank"), ("Status", "record status"),
}


def _translation(lang: str, context: str | None, msgid: str) -> str:
    return translate(msgid, lang) if context is None else label_in((context, msgid), lang)


@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("msgid", sorted(AMBIGUOUS))
def test_meanings_of_one_msgid_do_not_share_a_translation_by_accident(lang: str, msgid: str) -> None:
    meanings = AMBIGUOUS[msgid]
    seen: dict[str, str | None] = {}
    for context in meanings:
        text = _translation(lang, context, msgid)
        assert (text and text != msgid) or (lang == "fr" and msgid == "Date"), (lang, context, msgid)
        other = seen.get(text, "")
        if other != "" and (lang, msgid) not in SAME_WORD:
            pair = {other, context}
            assert any(pair <= {None, c} for m, c in MEANING_GROUPS if m == msgid), (lang, msgid, text, pair)
        seen[text] = context


def test_campaign_place_column_is_a_location_not_a_rank() -> None:
    assert label_in(monthly.COL_PLACE, "fr") == "Lieu" and label_in(monthly.COL_PLACE, "ar") == "المكان"
    assert translate("Place", "fr") == "Rang"  # the waitlist's rank keeps its word
