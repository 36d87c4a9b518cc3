"""Small helpers shared by the printouts: the center's name, a person's name in the report's
language, times of day, and the labels of services and age bands (gettext msgids)."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from jisr_desktop.db.center import current_center
from jisr_desktop.i18n import N_, catalog, translate
from jisr_desktop.reports.text import mark_value

SERVICE_LABELS = {
    "nursery": N_("Social nursery"),
    "club": N_("Elderly day club"),
    "club_activity": N_("Club activities"),
    "workshop": N_("Workshops and training"),
    "campaign": N_("Awareness campaigns"),
    "visit": N_("Reception and orientation"),
}
SEX_LABELS = {"F": N_("Women and girls"), "M": N_("Men and boys"), "": N_("Sex not recorded")}
BAND_LABELS = {
    "0-2": N_("0–2 years"), "3-5": N_("3–5 years"), "6-11": N_("6–11 years"), "12-17": N_("12–17 years"),
    "18-29": N_("18–29 years"), "30-59": N_("30–59 years"), "60+": N_("60 years and over"),
    "unknown": N_("Age not recorded"),
}


def center_name(db: sqlite_utils.Database, lang: str) -> str:
    """The center's name in ``lang`` (the other language's name when that one is empty)."""
    center = current_center(db)
    if center is None:
        return translate(N_("Jisr al-Usra center"), lang)
    first, second = (center.name_ar, center.name_fr) if lang == "ar" else (center.name_fr, center.name_ar)
    return first or second


def person_name(name_ar: str, name_lat: str, lang: str) -> str:
    """The name written in the report's script first, the other one when it is missing."""
    first, second = (name_ar, name_lat) if lang == "ar" else (name_lat, name_ar)
    return first or second or "—"


def time_of_day(value: datetime | None) -> str:
    """``08:30`` in the desktop's local time (as the services' ``today()``), or empty."""
    return value.astimezone().strftime("%H:%M") if value is not None else ""


def label(msgid: str, lang: str, **params: object) -> str:
    """``msgid`` translated into ``lang``; each text parameter (a name, a title, a date) is a
    data value, isolated with ``text.mark_value`` so it keeps its own direction in the
    sentence (docs/reports/README.md, "The Arabic recipe"). Numbers are left as they are."""
    return translate(msgid, lang, **{k: _value(v) for k, v in params.items()})


def NC_(context: str, msgid: str) -> tuple[str, str]:
    """Mark a short msgid whose meaning depends on where it is used (a gettext ``msgctxt``)."""
    return context, msgid


def label_in(context_msgid: tuple[str, str], lang: str, **params: object) -> str:
    """Like :func:`label` for a msgid with a context (``pgettext``): "Place" of a campaign is a
    location, "Place" on the waitlist a rank; each gets its own translation."""
    context, msgid = context_msgid
    text = catalog(lang).pgettext(context, msgid)
    return text.format(**{k: _value(v) for k, v in params.items()}) if params else text


def _value(value: object) -> object:
    if isinstance(value, str) and value and value[0] not in "\u2066\u2067\u2068":
        return mark_value(value)
    return value
