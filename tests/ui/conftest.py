"""UI test helpers: a started program (`Shell`) on a real encrypted database in a temporary
data root, and a person's way of signing in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from jisr_desktop.settings import Settings
from jisr_desktop.ui.app import Shell
from jisr_desktop.ui.dialogs import Dialogs
from jisr_desktop.ui.language import apply_language, load_fonts
from jisr_desktop.ui.main_window import MainWindow

PASSWORD = "correct horse"
# The offscreen platform plugin (used by the tests only) says this of every shown window.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _qt_setup(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    load_fonts(qapp)
    answers: list[str] = []
    monkeypatch.setattr(Dialogs, "confirm", classmethod(lambda cls, p, t, x: answers.append(x) or True))
    monkeypatch.setattr(Dialogs, "inform", classmethod(lambda cls, p, t, x: answers.append(x)))

    def error(cls, parent, title, text):  # type: ignore[no-untyped-def]
        raise AssertionError(f"error dialog shown: {text}")

    monkeypatch.setattr(Dialogs, "error", classmethod(error))
    yield
    apply_language("en")


def make_shell(qtbot, home: Path, lang: str = "en", clock=None) -> Shell:  # type: ignore[no-untyped-def]
    Settings(home).set("language", lang)
    return Shell(home, clock=clock) if clock is not None else Shell(home)


@pytest.fixture
def shell_factory(qtbot, home: Path) -> Iterator:  # type: ignore[no-untyped-def]
    made: list[Shell] = []

    def factory(lang: str = "en", clock=None) -> Shell:  # type: ignore[no-untyped-def]
        shell = make_shell(qtbot, home, lang, clock)
        made.append(shell)
        return shell

    yield factory
    for shell in made:
        shell.close()


def sign_in(qtbot, shell: Shell, username: str, password: str = PASSWORD) -> MainWindow:  # type: ignore[no-untyped-def]
    """Start the program and sign in by typing, as a person would."""
    with qtbot.waitSignal(shell.login_shown, timeout=10_000):
        shell.start()
    login = shell.login
    assert login is not None
    qtbot.keyClicks(login.form.username, username)
    qtbot.keyClicks(login.form.password, password)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.mouseClick(login.form.button, Qt.MouseButton.LeftButton)
    assert shell.main is not None
    qtbot.addWidget(shell.main)
    return shell.main


def idle(qtbot, shell: Shell) -> None:  # type: ignore[no-untyped-def]
    """Wait until every background task has delivered its result."""
    qtbot.waitUntil(lambda: shell.session.runner.pending() == 0, timeout=10_000)


def open_record(qtbot, shell_factory, username: str, person_id: str, lang: str):  # type: ignore[no-untyped-def]
    """Sign in as `username` in a 1366x768 window and open the person's record on the People
    screen; returns (shell, main window, People screen)."""
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, username)
    main.resize(1366, 768)
    main.show()
    screen = main.show_section("people")
    idle(qtbot, shell)
    with qtbot.waitSignal(screen.person_opened, timeout=10_000):
        screen.open_person(person_id)
    idle(qtbot, shell)
    return shell, main, screen


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type `text` key by key. QTest only types Latin-1 characters, so Arabic letters are sent
    as key events carrying their text, as an Arabic keyboard layout does."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for char in text:
        if ord(char) < 128:
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))


def choose(qtbot, picker, row: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Choose a person in a `PersonPicker` whose search has run, as a person does: Enter in
    the search box moves to the results, the down arrow to the row, Enter chooses it."""
    qtbot.keyClick(picker.query, Qt.Key.Key_Return)
    assert picker.table.hasFocus() or picker.table.currentIndex().row() == 0
    for _step in range(row):
        qtbot.keyClick(picker.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(picker.picked, timeout=10_000):
        qtbot.keyClick(picker.table, Qt.Key.Key_Return)
