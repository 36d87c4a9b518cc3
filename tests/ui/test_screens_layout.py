"""Screens are screens (issue 11): every section's screen lives in jisr_desktop/ui/screens/,
and the layout of the ui in docs/architecture.md names exactly the modules in the tree."""

from __future__ import annotations

import re
from pathlib import Path

from jisr_desktop.ui import sections

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "jisr_desktop" / "ui"


def _documented() -> tuple[set[str], set[str]]:
    """(shell modules, screens/ modules) as the layout block of docs/architecture.md lists them."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("```\njisr_desktop/ui/\n", 1)[1].split("```", 1)[0]
    shell, screens = set(), set()
    inside = False
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        if line.strip().startswith("screens/"):
            inside = True
            continue
        names = re.findall(r"\b(\w+\.py)\b", line)
        if inside and indent >= 4:
            screens.update(names)
        else:
            inside = False
            shell.update(names)
    return shell, screens


def _tree(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.py") if p.name != "__init__.py"}


def test_the_documented_layout_is_the_tree() -> None:
    shell, screens = _documented()
    assert screens == _tree(UI / "screens")
    assert shell == _tree(UI)


def test_every_section_screen_is_in_screens() -> None:
    elsewhere = [s.screen for s in sections.SECTIONS
                 if s.screen and not s.screen.startswith("jisr_desktop.ui.screens.")]
    assert elsewhere == []
    for section in sections.SECTIONS:
        assert sections.screen_class(section) is not None, section.key
