"""Issue 13: a gallery of every section in Arabic and French at 1366x768, for people to look
at (`scripts/gallery.py` runs this in a real window under Xvfb and writes the pictures to
docs/screenshots/gallery/; run alone, as part of the suite, it writes them to
tests/results/screenshots/gallery/).

A coordinator's center on a Tuesday morning: demo families in the registry, children and
club members checked in, a workshop about to start, follow-ups due, an allergy to
acknowledge. Each section is opened as a person would, with something chosen where a screen
is about a person; the test checks each picture is written, not blank, and that the window
kept to the screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from jisr_desktop.i18n import translate
from jisr_desktop.services import visits
from jisr_desktop.services.demo import make_demo
from jisr_desktop.ui import sections
from tests.ui.conftest import choose, idle, sign_in, type_text
from tests.ui.test_screenshots_today import _day

ROOT = Path(__file__).resolve().parents[2]
# (not a JISR_ variable: the root conftest.py clears those)
OUT = Path(os.environ.get("GALLERY_OUT") or ROOT / "tests" / "results" / "screenshots" / "gallery")
LANGS = ("ar", "fr")


def _grab(main, name: str) -> Path:  # type: ignore[no-untyped-def]
    OUT.mkdir(parents=True, exist_ok=True)
    for _round in range(3):  # let layouts settle after the last change
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    path = OUT / f"{name}.png"
    assert main.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1366, 768), (name, image.size())
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)}
    assert len(colours) > 8, f"{name} looks blank"
    return path


def _stage(qtbot, shell, key: str, screen, day) -> None:  # type: ignore[no-untyped-def]
    """Put the section in the state a person would show it in."""
    if key in ("reception", "people", "followup", "case_notes"):
        picker = screen.picker
        type_text(qtbot, picker.query, "Alaoui")
        qtbot.waitUntil(lambda: picker.model.rowCount() > 0, timeout=10_000)
        idle(qtbot, shell)
        choose(qtbot, picker)
        idle(qtbot, shell)
    elif key == "workshops" and screen.list_model.rowCount():
        screen.list_table.setFocus()
        screen.list_table.setCurrentIndex(screen.list_model.index(0, 0))  # the workshop chosen
        idle(qtbot, shell)
        if screen.participants.rowCount():
            screen.participants_table.setCurrentIndex(screen.participants.index(0, 0))
    elif key == "reports":
        screen.choose("nursery")
        screen.day.setDate(QDate(day.year, day.month, day.day))
        with qtbot.waitSignal(screen.preview_ready, timeout=30_000):
            qtbot.mouseClick(screen.preview_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_gallery_of_every_section(qtbot, shell_factory, system_ctx, ctx, coord_ctx, clock,  # type: ignore[no-untyped-def]
                                  lang: str) -> None:
    make_demo(ctx=system_ctx, persons=120, seed=13)
    _day(system_ctx, ctx, coord_ctx, clock)
    shown = []
    shell = shell_factory(lang=lang, clock=clock)
    main = sign_in(qtbot, shell, "coord")
    main.move(0, 0)
    main.resize(1366, 768)
    main.show()
    idle(qtbot, shell)
    first = ctx.db.execute("SELECT id FROM person WHERE family_name_lat = 'Alaoui' LIMIT 1").fetchone()
    visits.log_visit(ctx=ctx, data={"person_id": first[0], "program_code": "rsu",
                                    "channel": "in_person", "outcome": "helped"})
    titles = {s.key: translate(s.title) for s in sections.SECTIONS}
    for number, key in enumerate(main.section_keys(), start=1):
        screen = main.show_section(key)
        idle(qtbot, shell)
        qtbot.waitUntil(screen.isVisible, timeout=5_000)
        _stage(qtbot, shell, key, screen, clock.current.date())
        assert main.width() <= 1366 and main.height() <= 768, (key, main.size())
        shown.append((key, titles.get(key, key), _grab(main, f"{number:02d}_{key}_{lang}")))
    assert len(shown) == len(main.section_keys())
    index = OUT / f"index_{lang}.txt"
    index.write_text("".join(f"{path.name}\t{title}\n" for _key, title, path in shown), encoding="utf-8")
