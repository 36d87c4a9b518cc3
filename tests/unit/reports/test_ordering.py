"""The display-order step against Unicode's own conformance file, and the mirroring table."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from jisr_desktop.reports.fonts import resource_path
from jisr_desktop.reports.ordering import (
    MIRRORING_RESOURCE,
    X9_REMOVED,
    display_order,
    generate_mirroring,
    mirroring,
)

UNICODE = Path("/usr/share/unicode")
CONFORMANCE = UNICODE / "BidiCharacterTest.txt"


def _cases() -> list[tuple[str, bool, list[int], list[str]]]:
    cases = []
    for line in CONFORMANCE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        points, direction, _level, levels, order = line.split(";")
        if direction not in ("0", "1"):
            continue  # 2 = auto: a paper always knows its direction
        cases.append((
            "".join(chr(int(p, 16)) for p in points.split()),
            direction == "1",
            [int(i) for i in order.split()],
            levels.split(),
        ))
    return cases


def _expected(text: str, order: list[int], levels: list[str]) -> str:
    table = mirroring()
    return "".join(
        table.get(text[i], text[i]) if int(levels[i]) % 2 else text[i] for i in order
    )


@pytest.mark.skipif(not CONFORMANCE.exists(), reason="Debian package unicode-data")
@pytest.mark.parametrize("force_levels", [False, True], ids=["as-printed", "levels-path"])
def test_bidi_character_test_all_lines_in_visual_order(force_levels: bool) -> None:
    cases = _cases()
    assert len(cases) == 91_679
    wrong = [
        (text, rtl)
        for text, rtl, order, levels in cases
        if display_order(text, rtl, force_levels=force_levels) != _expected(text, order, levels)
    ]
    assert wrong == [], f"{len(wrong)} of {len(cases)} lines out of order, first: {wrong[:3]!r}"


def test_brackets_mirrored_in_rtl_runs_only() -> None:
    # Arabic run with a bracketed Arabic word: the brackets are resolved RTL, so their glyphs swap.
    assert display_order("أ (ب) ج", rtl=True) == "ج (ب) أ"
    assert display_order("أ [ب] «ج»", rtl=True) == "«ج» [ب] أ"
    # A Latin name with brackets inside an Arabic line keeps its brackets facing its own way.
    got = display_order("الاسم: \u2068Karim (fils)\u2069", rtl=True)
    assert got == "\u2069Karim (fils)\u2068 :مسالا"
    # Brackets at an LTR level are never mirrored.
    assert display_order("a (b) c", rtl=False) == "a (b) c"
    assert display_order("a < b", rtl=True) == "a < b"
    assert display_order("ا < ب", rtl=True) == "ب > ا"


def test_shipped_mirroring_table_is_unicodes() -> None:
    if not (UNICODE / "BidiMirroring.txt").exists():
        pytest.skip("Debian package unicode-data")
    shipped = resource_path(*MIRRORING_RESOURCE).read_text(encoding="ascii")
    assert shipped == generate_mirroring(UNICODE / "BidiMirroring.txt")
    assert mirroring()["("] == ")" and mirroring()["«"] == "»" and mirroring()["\u2039"] == "\u203a"


def test_x9_removed_class_matches_unicodedata() -> None:
    removed = {"BN", "LRE", "RLE", "LRO", "RLO", "PDF"}
    for cp in range(0x110000):
        ch = chr(cp)
        cls = unicodedata.bidirectional(ch)
        if cls:  # assigned (unassigned ones follow Unicode's defaults in the pattern)
            assert (X9_REMOVED.fullmatch(ch) is not None) == (cls in removed), hex(cp)
