"""Issue 13, point 5: result tables sized to their content at 1366x768, in Arabic and French.
The People list showed "Hind ...", "23/10/...", "07 02 ...", "DEMO-...", pickers about one
row and Arabic headers clipped: every column stretched to an equal share of the width.

Here the name column shows a typical person's whole name and is the widest, no header is
elided, a picker shows several rows, and a cell too narrow for its text tells it in a
tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QStyle, QTableView, QToolTip

from jisr_desktop.services import registry
from jisr_desktop.ui.widgets import ColumnFitter
from tests.ui.conftest import choose, idle, sign_in, type_text

PEOPLE = [
    ("هند", "الوزاني", "Hind", "El Ouazzani", "1990-10-23", "BE482913", "0702345678"),
    ("هند", "بنجلون", "Hind", "Benjelloun", "1987-05-12", "A765432", "0661223344"),
    ("هند", "العلمي", "Hind", "Alami", "1979-01-30", "CD99881", "0522445566"),
]


@pytest.fixture
def hinds(ctx):  # type: ignore[no-untyped-def]
    return [registry.register_person(ctx=ctx, data={
        "given_name_ar": g_ar, "family_name_ar": f_ar, "given_name_lat": g, "family_name_lat": f,
        "birth_date": born, "cin": cin, "phone": phone})
        for g_ar, f_ar, g, f, born, cin, phone in PEOPLE]


def _margin(table: QTableView) -> int:
    """Room a cell keeps around its text (Qt's item view text margin, each side)."""
    return table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1


def _cell_fits(table: QTableView, row: int, column: int) -> bool:
    index = table.model().index(row, column)
    text = str(index.data() or "")
    needed = table.fontMetrics().horizontalAdvance(text) + 2 * _margin(table)
    return needed <= table.visualRect(index).width()  # the cell inside its grid line


def _headers_whole(table: QTableView) -> list[str]:
    """The header texts that do not fit their section (would be elided)."""
    header = table.horizontalHeader()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    metrics = header.fontMetrics()
    clipped = []
    for column in range(table.model().columnCount()):
        if table.isColumnHidden(column):
            continue
        text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or "")
        if metrics.horizontalAdvance(text) + 2 * margin > header.sectionSize(column):
            clipped.append(text)
    return clipped


def _check_table(qtbot, table: QTableView, name_column: int = 0) -> None:  # type: ignore[no-untyped-def]
    fitter = table.findChild(ColumnFitter)
    assert fitter is not None  # the table's columns are fitted (they stretched before)
    qtbot.waitUntil(lambda: not fitter.pending(), timeout=3_000)
    qtbot.waitUntil(lambda: all(_cell_fits(table, r, name_column)
                                for r in range(table.model().rowCount())), timeout=3_000)
    assert _headers_whole(table) == []
    widths = [table.columnWidth(c) for c in range(table.model().columnCount())]
    heads, cells = fitter.needed()
    if sum(max(h, c) for h, c in zip(heads, cells, strict=True)) <= table.viewport().width():
        # room for every column whole: they all are, the name takes what is left over
        spare = [w - max(h, c) for w, h, c in zip(widths, heads, cells, strict=True)]
        assert spare[name_column] == max(spare) and sum(widths) >= table.viewport().width() - 1, \
            (widths, spare)
        cut = [(r, c) for r in range(table.model().rowCount()) for c in range(len(widths))
               if not _cell_fits(table, r, c)]
        assert cut == [], (cut, widths, heads, cells)
    # the columns fill the table, no sideways scroll for a few short columns
    assert sum(widths) <= table.viewport().width() + 1


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_people_list_shows_whole_names_and_headers(qtbot, shell_factory, receptionist, hinds,  # type: ignore[no-untyped-def]
                                                    lang: str) -> None:
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("people")
    picker = screen.picker
    type_text(qtbot, picker.query, "هند" if lang == "ar" else "Hind")
    qtbot.waitUntil(lambda: picker.model.rowCount() == 3, timeout=10_000)
    idle(qtbot, shell)
    _check_table(qtbot, picker.table)
    model = picker.model
    names = {str(model.index(r, 0).data()) for r in range(3)}
    assert ("هند الوزاني" if lang == "ar" else "Hind El Ouazzani") in names
    # the birth date and the phone are read whole (they were "23/10/..." and "07 02 ...")
    for row in range(3):
        for column in (2, 4):
            assert _cell_fits(picker.table, row, column), (row, column, model.index(row, column).data())
    # a results list shows several rows, not one
    rows = picker.table.verticalHeader().defaultSectionSize()
    assert picker.table.viewport().height() >= 3 * rows


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_household_picker_shows_rows_and_names(qtbot, shell_factory, receptionist, hinds,  # type: ignore[no-untyped-def]
                                               lang: str) -> None:
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("people")
    type_text(qtbot, screen.picker.query, "Benjelloun")
    qtbot.waitUntil(lambda: screen.picker.model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        choose(qtbot, screen.picker)
    idle(qtbot, shell)
    panel = screen.panel
    panel.setCurrentWidget(panel.household)
    household = panel.household
    with qtbot.waitSignal(household.changed, timeout=10_000):
        qtbot.mouseClick(household.create_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    _check_table(qtbot, household.table)  # the members: her name whole
    picker = household.picker
    type_text(qtbot, picker.query, "Hind")
    qtbot.waitUntil(lambda: picker.model.rowCount() == 3, timeout=10_000)
    idle(qtbot, shell)
    qtbot.waitUntil(picker.table.isVisible, timeout=3_000)
    _check_table(qtbot, picker.table)
    rows = picker.table.verticalHeader().defaultSectionSize()
    assert picker.table.height() >= 4 * rows, picker.table.height()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_narrow_cell_tells_its_text_in_a_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.ui.models import Column, RowsModel
    from jisr_desktop.ui.screens.common import make_table

    model = RowsModel([Column("Name", lambda r: r[0]), Column("Note", lambda r: r[1])])
    long_note = "a long note about the visit " * 8
    model.set_rows([("Hind El Ouazzani", long_note)])
    table = make_table(model, "notes")
    qtbot.addWidget(table)
    table.resize(420, 200)
    table.show()
    qtbot.waitUntil(lambda: _cell_fits(table, 0, 0), timeout=3_000)
    assert not _cell_fits(table, 0, 1)  # the note is elided ...
    rect = table.visualRect(model.index(0, 1))
    where = rect.center()
    event = QHelpEvent(QHelpEvent.Type.ToolTip, where, table.viewport().mapToGlobal(where))
    QApplication.sendEvent(table.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=3_000)
    assert QToolTip.text() == long_note  # ... and read whole in its tooltip
    # a cell that shows its whole text needs no tooltip: the note's goes away
    name_at = table.visualRect(model.index(0, 0)).center()
    QApplication.sendEvent(table.viewport(), QHelpEvent(
        QHelpEvent.Type.ToolTip, name_at, table.viewport().mapToGlobal(name_at)))
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3_000)


def test_the_name_column_chosen_stays_the_widest(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A list whose row is named by its second column (a campaign's topic): the empty state
    set after the table was made kept the first column as the widest."""
    from jisr_desktop.ui.models import Column, RowsModel
    from jisr_desktop.ui.screens.common import make_table

    model = RowsModel([Column("Date", lambda r: r[0]), Column("Topic", lambda r: r[1]),
                       Column("Place", lambda r: r[2])])
    table = make_table(model, "campaigns", name_column=1)
    qtbot.addWidget(table)
    table.resize(500, 200)
    table.show()
    model.set_rows([("03/11/2026", "Hygiène bucco-dentaire", "École")])
    _check_table(qtbot, table, name_column=1)
    widths = [table.columnWidth(c) for c in range(3)]
    assert widths[1] == max(widths), widths


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_narrow_picker_puts_columns_away_for_the_name(qtbot, shell_factory, receptionist,  # type: ignore[no-untyped-def]
                                                        hinds, lang: str) -> None:
    """A picker in a narrow panel (the follow-up screen's is about 420 px wide): the names showed "Salma ...";
    now the other spelling (then the CIN, the phone) is put away, and back when wider."""
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("people")
    picker = screen.picker
    type_text(qtbot, picker.query, "Hind")
    qtbot.waitUntil(lambda: picker.model.rowCount() == 3, timeout=10_000)
    idle(qtbot, shell)
    _check_table(qtbot, picker.table)
    assert not any(picker.table.isColumnHidden(c) for c in range(6))  # the People list: all
    picker.setFixedWidth(320)
    qtbot.waitUntil(lambda: picker.table.isColumnHidden(1), timeout=3_000)
    _check_table(qtbot, picker.table)  # the names whole, the headers shown whole
    assert not picker.table.isColumnHidden(2) and not picker.table.isColumnHidden(5)
    picker.setMinimumWidth(0)
    picker.setMaximumWidth(16_777_215)
    qtbot.waitUntil(lambda: not picker.table.isColumnHidden(1), timeout=3_000)


def _ink(widget) -> int:  # type: ignore[no-untyped-def]
    """Pixels darker than the background in the middle band of `widget` (its empty state)."""
    image = widget.grab().toImage()
    top, bottom = image.height() // 4, 3 * image.height() // 4
    return sum(1 for y in range(top, bottom, 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 160)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_an_empty_list_says_what_to_do(qtbot, shell_factory, receptionist, hinds, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Clear empty states (point 8): an empty result list was a blank white box."""
    from jisr_desktop.i18n import _

    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    picker = main.show_section("people").picker
    fitter = picker.table.findChild(ColumnFitter)
    assert fitter.empty_text is not None
    assert fitter.empty_text() == _("Type a name, a CIN, a phone or a file number above: the matching "
                                    "persons are listed here.")
    qtbot.waitUntil(lambda: _ink(picker.table.viewport()) > 50, timeout=3_000)
    type_text(qtbot, picker.query, "Zzyzx")
    qtbot.waitUntil(lambda: picker.model.text == "Zzyzx", timeout=10_000)
    assert fitter.empty_text() == _("Nobody found. Check the spelling, or try the CIN or the phone number.")
    qtbot.waitUntil(lambda: _ink(picker.table.viewport()) > 50, timeout=3_000)
