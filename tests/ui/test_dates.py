"""Issue 13, point 6: one date and time format everywhere (dd/MM/yyyy, Latin digits, 24-hour
HH:mm), in tables and editors, in Arabic as in French."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime

from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.models import person_born
from jisr_desktop.ui.screens.common import time_text
from tests.ui.conftest import idle, sign_in


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_tables_show_day_month_year_and_24_hour_times(lang: str) -> None:
    apply_language(lang)
    born = SimpleNamespace(birth_date=date(1990, 5, 12), birth_year=None)
    # was 1990/5/12 (and 5/12/90 in English)
    assert person_born(born) == "12/05/1990"  # type: ignore[arg-type]
    marked = datetime(2026, 11, 2, 16, 56).astimezone()
    assert time_text(marked) == "16:56"  # "Marked at" showed 6:56 / 4:56 PM


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_messages_give_24_hour_times(lang: str) -> None:
    from jisr_desktop import i18n

    # "Today's backup was made at 5:48 PM." in English (the status bar and visit times use this).
    assert i18n.format_time(datetime(2026, 12, 4, 17, 48), lang) == "17:48"
    # Dates in messages and lists as in the tables (were "4 déc. 2026", "Dec 4, 2026", and in
    # Arabic with right-to-left marks between the parts).
    for fmt in ("short", "medium"):
        assert i18n.format_date(date(2026, 12, 4), lang, fmt) == "04/12/2026"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_editors_are_day_first_and_24_hour(qtbot, shell_factory, coordinator, lang: str) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "coord")
    workshops = main.show_section("workshops")
    idle(qtbot, shell)
    editor = workshops.session_start  # type: ignore[attr-defined]
    editor.setDateTime(QDateTime(QDate(2026, 11, 2), QTime(16, 49)))
    assert editor.text() == "02/11/2026 16:49"  # the Arabic editor showed "49:16"
    for key in ("campaigns",):
        screen = main.show_section(key)
        idle(qtbot, shell)
        day = screen.day  # type: ignore[attr-defined]
        day.setDate(QDate(2026, 11, 2))
        assert day.text() == "02/11/2026", key  # was 2026-11-02, year first
