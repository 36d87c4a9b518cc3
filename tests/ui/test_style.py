"""The one application stylesheet (jisr_desktop/ui/style.py): tones and roles really colour and
size the text, and no other module of the ui gives a widget a stylesheet of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from jisr_desktop.ui import style
from jisr_desktop.ui.style import COLORS, apply_style, role_of, set_role, set_tone, tone_of

UI = Path(style.__file__).resolve().parent


def _stylesheet_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setStyleSheet"]


def test_only_the_style_module_sets_a_stylesheet() -> None:
    offenders = {}
    for path in sorted(UI.rglob("*.py")):
        if path == Path(style.__file__).resolve():
            continue
        lines = _stylesheet_calls(path)
        if lines:
            offenders[str(path.relative_to(UI))] = lines
    assert offenders == {}, "use style.set_tone / style.set_role instead"
    assert _stylesheet_calls(Path(style.__file__))  # the finder does find a call


def _text_colour(label: QLabel) -> QColor:
    label.ensurePolished()
    return label.palette().color(QPalette.ColorRole.WindowText)


def test_a_tone_colours_the_text_and_follows_changes(qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    apply_style(qapp)
    plain = QLabel("plain")
    label = QLabel("message")
    qtbot.addWidget(plain)
    qtbot.addWidget(label)
    ordinary = _text_colour(plain)
    set_tone(label, "error")
    assert tone_of(label) == "error" and _text_colour(label) == QColor(COLORS["error"])
    set_tone(label, "ok")
    assert tone_of(label) == "ok" and _text_colour(label) == QColor(COLORS["ok"])
    set_tone(label, "notice")
    assert _text_colour(label) == QColor(COLORS["notice"])
    set_tone(label, None)
    assert tone_of(label) is None and _text_colour(label) == ordinary
    set_tone(label, "alert")
    label.ensurePolished()
    assert label.font().bold() and _text_colour(label) == QColor(COLORS["error"])
    with pytest.raises(ValueError):
        set_tone(label, "red")


def test_roles_size_the_text(qtbot, qapp: QApplication) -> None:  # type: ignore[no-untyped-def]
    apply_style(qapp)
    title, heading, plain = QLabel("Title"), QLabel("Heading"), QLabel("text")
    for widget in (title, heading, plain):
        qtbot.addWidget(widget)
    set_role(title, "title")
    set_role(heading, "heading")
    for widget in (title, heading, plain):
        widget.ensurePolished()
    assert role_of(title) == "title" and title.font().pointSize() == 15 and title.font().bold()
    assert heading.font().bold() and not plain.font().bold()
    with pytest.raises(ValueError):
        set_role(plain, "huge")


def test_the_sheet_holds_in_both_directions() -> None:
    """No rule names a side, so Arabic (right to left) looks like French mirrored."""
    for word in ("left", "right"):
        assert word not in style.STYLESHEET
