"""Dates and numbers for printouts, through Babel's Moroccan locales (which print Latin digits)."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

from jisr_desktop import i18n


def babel_locale(lang: str) -> str:
    """Babel locale for a program language code (``ar`` → ``ar_MA``)."""
    try:
        return i18n.BABEL_LOCALES[lang]
    except KeyError:
        raise ValueError(f"unsupported report language: {lang!r}") from None


def is_rtl(lang: str) -> bool:
    """True for languages written right to left."""
    babel_locale(lang)
    return i18n.is_rtl(lang)


def format_day(day: dt.date | str, lang: str, style: str = "long") -> str:
    """``29 نونبر 2026`` / ``29 novembre 2026``, and the first of the month in French as
    written, ``1er novembre 2026``; a string is assumed already formatted."""
    if isinstance(day, str):
        return day
    text = format_date(day, style, locale=babel_locale(lang))
    if lang == "fr" and day.day == 1 and style in ("long", "full"):
        text = _FIRST_DAY.sub(r"\g<1>1er", text, count=1)
    return text


_FIRST_DAY = re.compile(r"(^|\s)1(?=\s)")


def format_number(value: float | int, lang: str) -> str:
    """A number with the locale's grouping (``1.234`` in ar_MA, ``1 234`` in fr_MA)."""
    babel_locale(lang)
    return i18n.format_number(value, lang)
