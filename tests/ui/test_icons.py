"""Issue 13, point 8: one icon set (bundled Lucide SVGs with their licence) on the sections
and the main actions; arrows mirrored in Arabic; the main actions larger targets."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QPushButton

from jisr_desktop import paths
from jisr_desktop.ui import icons, sections
from tests.ui.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
ICONS = paths.resource("icons")


def _image(icon, size: int = 24) -> QImage:  # type: ignore[no-untyped-def]
    return icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _inked(image: QImage) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixelColor(x, y).alpha() > 0)


def test_every_section_has_an_icon_that_loads(qapp) -> None:  # type: ignore[no-untyped-def]
    sections.load_plugins()
    keys = [s.key for s in sections.SECTIONS]
    assert keys and set(keys) <= set(icons.SECTION_ICONS), set(keys) - set(icons.SECTION_ICONS)
    for key in keys:
        icon = icons.section_icon(key)
        assert not icon.isNull(), key
        assert _inked(_image(icon)) > 20, key  # something is drawn


def test_icon_files_exist_are_valid_svg_and_licensed() -> None:
    names = set(icons.SECTION_ICONS.values()) | set(icons.BUTTON_ICONS.values())
    for name in sorted(names):
        path = ICONS / f"{name}.svg"
        assert path.is_file(), path
        assert QSvgRenderer(QByteArray(path.read_bytes())).isValid(), path
    licence = (ICONS / "LICENSE.txt").read_text(encoding="utf-8")
    assert "ISC License" in licence and "Lucide" in licence
    # no icon file without its licence next to it, none unused
    shipped = {p.stem for p in ICONS.glob("*.svg")}
    assert shipped == names, shipped ^ names


def test_the_icons_and_their_licence_are_packaged() -> None:
    """The wheel's package-data patterns and the bundle's resource list take them (the wheel
    itself: tests/unit/test_wheel.py)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    for path in [*ICONS.glob("*.svg"), ICONS / "LICENSE.txt"]:
        assert any(fnmatch(path.name, p) for p in patterns), path.name
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    skipped = re.search(r"if path\.suffix in (\{[^}]*\})", spec)
    assert skipped is not None and ".svg" not in skipped.group(1) and ".txt" not in skipped.group(1)
    assert 'RESOURCES.rglob("*")' in spec  # everything under resources/, icons/ included


def test_arrows_mirror_in_right_to_left(qapp) -> None:  # type: ignore[no-untyped-def]
    left = _image(icons.icon("log-out", mirrored=False))
    right = _image(icons.icon("log-out", mirrored=True))
    assert left != right and right == left.flipped(Qt.Orientation.Horizontal)
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        assert _image(icons.icon("log-out")) == right  # a directional icon follows the text
        assert _image(icons.icon("users")) == _image(icons.icon("users", mirrored=False))
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_main_window_shows_icons_and_large_main_actions(qtbot, shell_factory, receptionist,  # type: ignore[no-untyped-def]
                                                        lang: str) -> None:
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    for row in range(main.nav.count()):
        assert not main.nav.item(row).icon().isNull(), main.nav.item(row).text()
    screen = main.show_section("people")
    qtbot.waitUntil(screen.new_button.isVisible, timeout=5_000)
    new = screen.new_button
    assert not new.icon().isNull() and new.property("action") == "main"
    plain = QPushButton("x")  # an ordinary button under the same stylesheet
    qtbot.addWidget(plain)
    plain.show()
    assert new.height() >= plain.sizeHint().height() + 6  # a larger target
    sign_out = main.sign_out_button
    assert not sign_out.icon().isNull()
    mirrored = _image(sign_out.icon(), 20) == _image(icons.icon("log-out", mirrored=True), 20)
    assert mirrored == (lang == "ar")  # the door's arrow points the way the text reads
