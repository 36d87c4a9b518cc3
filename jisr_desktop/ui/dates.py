"""The one date and time format of the program (issue 13, point 6): the Moroccan day/month/
year with Latin digits and 24-hour times, in tables, forms, editors and messages, and editors
typed day first in both directions."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit

DATE_FORMAT = "dd/MM/yyyy"  # Qt display formats
TIME_FORMAT = "HH:mm"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"
MONTH_FORMAT = "MM/yyyy"


def date_text(value: date | None) -> str:
    """12/05/1990 (Latin digits whatever the language)."""
    return value.strftime("%d/%m/%Y") if value else ""


def time_text(value: datetime | None) -> str:
    """16:56, in this PC's time zone."""
    return value.astimezone().strftime("%H:%M") if value else ""


def datetime_text(value: datetime | None) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else ""


def set_format(edit: QDateTimeEdit, display_format: str = DATE_FORMAT) -> QDateTimeEdit:
    """Give a date (or date-time, or time) editor the program's format, read left to right in
    every language (in a right-to-left window Qt shows "49:16" for 16:49 and takes the year
    first), and Latin digits."""
    from PySide6.QtCore import QLocale

    # first the direction: Qt reverses the sections of a format set on a right-to-left editor
    edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    edit.setDisplayFormat(display_format)
    edit.setLocale(QLocale(QLocale.Language.French, QLocale.Country.Morocco))
    return edit
