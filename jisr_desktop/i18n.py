"""Translation and locale formatting, without Qt.

The program's strings are gettext msgids in English with ``{named}`` parameters; catalogs
live in ``resources/locale/<lang>/LC_MESSAGES/jisr.po`` and are compiled to ``.mo`` by
``make translations``/``make run``/``make test`` (Babel). Dates and numbers are formatted by
Babel for ``ar_MA``, ``fr_MA`` and ``en`` (Moroccan locales print Latin digits).
"""

from __future__ import annotations

import gettext
import io
import logging
import threading
from datetime import date, datetime
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from jisr_desktop import paths

log = logging.getLogger("jisr.i18n")

DOMAIN = "jisr"
LANGUAGES = ("ar", "fr", "en")
DEFAULT_LANGUAGE = "ar"
BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}
RTL_LANGUAGES = frozenset({"ar"})

_lock = threading.Lock()
_catalogs: dict[str, gettext.NullTranslations] = {}
_current = DEFAULT_LANGUAGE


def N_(msgid: str) -> str:
    """Marks a string for extraction without translating it yet."""
    return msgid


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def current_language() -> str:
    return _current


def is_rtl(lang: str | None = None) -> bool:
    return (lang or _current) in RTL_LANGUAGES


def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (loaded once)."""
    with _lock:
        if lang not in _catalogs:
            _catalogs[lang] = _load_catalog(lang)
        return _catalogs[lang]


def _load_catalog(lang: str) -> gettext.NullTranslations:
    folder = paths.locale_dir() / lang / "LC_MESSAGES"
    mo = folder / f"{DOMAIN}.mo"
    if mo.exists():
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    po = folder / f"{DOMAIN}.po"
    if po.exists():
        # A source checkout where `make translations` has not run yet: compile in memory.
        from babel.messages import mofile, pofile

        log.warning("compiled catalog missing for %s; compiling %s in memory", lang, po)
        with po.open("rb") as fh:
            cat = pofile.read_po(fh, locale=lang)
        buf = io.BytesIO()
        mofile.write_mo(buf, cat)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    if lang != "en":
        log.warning("no catalog for %s", lang)
    return gettext.NullTranslations()


def translate(msgid: str, lang: str | None = None, /, **params: Any) -> str:
    """`msgid` in `lang` (default: the current language), with its parameters filled in."""
    text = catalog(lang or _current).gettext(msgid)
    return text.format(**params) if params else text


def translate_plural(singular: str, plural: str, n: int, lang: str | None = None, /, **params: Any) -> str:
    text = catalog(lang or _current).ngettext(singular, plural, n)
    return text.format(n=format_number(n, lang), **params)


def _(msgid: str, **params: Any) -> str:
    return translate(msgid, None, **params)


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(BABEL_LOCALES[lang or _current])


def format_date(value: date | datetime, lang: str | None = None, fmt: str = "medium") -> str:
    """The desk's short and medium dates are the Moroccan 12/05/1990 (Latin digits) in every
    language, as in its tables and editors (ui/dates.py); "long" and "full" stay spelled out."""
    pattern = "dd/MM/yyyy" if fmt in ("short", "medium") else fmt
    return babel_dates.format_date(value, format=pattern, locale=BABEL_LOCALES[lang or _current])


def format_time(value: datetime, lang: str | None = None, fmt: str = "HH:mm") -> str:
    """24-hour times in every language (16:56, never "4:56 PM"): the one time format of the
    desk (docs/architecture.md, ui/dates.py)."""
    return babel_dates.format_time(value, format=fmt, locale=BABEL_LOCALES[lang or _current])


def format_number(value: float, lang: str | None = None) -> str:
    return babel_numbers.format_decimal(value, locale=BABEL_LOCALES[lang or _current])
