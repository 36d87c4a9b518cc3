"""Display order of one line of text: the Unicode bidi algorithm (UAX #9) with mirrored glyphs.

The levels come from python-bidi's Rust engine (``bidi.get_display``, the ``unicode-bidi``
crate), which resolves every line of Unicode's ``BidiCharacterTest.txt`` correctly: bracket
pairs, isolates, embeddings. That engine reorders but does not mirror, so the glyphs of
characters resolved right to left are mirrored here (rule L4) from a small table made from
Unicode's ``BidiMirroring.txt`` and shipped in ``resources/bidi/mirroring.txt`` (the program
runs where no Unicode data files are installed). See docs/reports/README.md, "The Arabic
recipe".

A line without a mirrorable character is ordered by ``bidi.get_display`` directly; a line with
one needs the resolved levels, which the engine gives only in its debug dump: the lines are
short, so this costs a few microseconds, and rules L1 and L2 are applied here on those levels.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bidi import get_display

from jisr_desktop.reports.fonts import resource_path

MIRRORING_RESOURCE = ("bidi", "mirroring.txt")

# Characters removed by rule X9 (class BN, by assignment or by Unicode's defaults for default
# ignorables and noncharacters, and the embedding/override controls): they have no place in the
# display string. The isolates U+2066-U+2069 are not among them. A test checks this class
# against Python's unicodedata.
X9_REMOVED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u180e\u200b-\u200d\u202a-\u202e"
    "\u2060-\u2065\u206a-\u206f\ufeff\ufdd0-\ufdef\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e00ff\U000e01f0-\U000e0fff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}-{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)

_ISOLATE_CLASSES = frozenset({"LRI", "RLI", "FSI", "PDI"})
_REMOVED_CLASSES = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF"})
_CLASS_ITEM = re.compile(r"^\s*([A-Z]+),$", re.M)
_LEVEL_ITEM = re.compile(r"Level\(\s*(\d+),\s*\)")


def generate_mirroring(source: str | Path) -> str:
    """The shipped table made from Unicode's ``BidiMirroring.txt``: ``XXXX;YYYY`` per line."""
    out = []
    for line in Path(source).read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        a, b = (f.strip() for f in data.split(";"))
        out.append(f"{a};{b}")
    return "\n".join(out) + "\n"


@cache
def mirroring() -> dict[str, str]:
    """Bidi_Mirroring_Glyph of every character that has one (from the shipped resource)."""
    table: dict[str, str] = {}
    for line in resource_path(*MIRRORING_RESOURCE).read_text(encoding="ascii").splitlines():
        a, b = line.split(";")
        table[chr(int(a, 16))] = chr(int(b, 16))
    return table


@cache
def _mirror_class() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(mirroring())) + "]")


def resolved(text: str, rtl: bool) -> tuple[list[str], list[int]]:
    """Bidi classes and resolved embedding levels (before L1) of each character of ``text``."""
    dump = get_display(text, base_dir="R" if rtl else "L", debug=True)
    assert isinstance(dump, str)
    classes_at = dump.index("\n    original_classes: [\n")
    levels_at = dump.index("\n    levels: [\n", classes_at)
    end = dump.index("\n    paragraphs: [", levels_at)
    by_byte_classes = _CLASS_ITEM.findall(dump, classes_at, levels_at)
    by_byte_levels = [int(v) for v in _LEVEL_ITEM.findall(dump, levels_at, end)]
    classes: list[str] = []
    levels: list[int] = []
    offset = 0
    for ch in text:
        classes.append(by_byte_classes[offset])
        levels.append(by_byte_levels[offset])
        offset += len(ch.encode("utf-8"))
    return classes, levels


def visual_indices(text: str, rtl: bool) -> tuple[list[int], list[int]]:
    """Logical indices of ``text`` in display order (X9-removed characters left out), and levels.

    Rule L1 (separators and trailing whitespace and isolate marks back to the paragraph level)
    and rule L2 (reverse every run at each level from the highest to the lowest odd one) on the
    engine's resolved levels. The line is one line: it is not wrapped here.
    """
    classes, levels = resolved(text, rtl)
    base = 1 if rtl else 0
    final = list(levels)
    trailing = True  # inside a run of whitespace/isolates reaching a separator or the line's end
    for i in range(len(text) - 1, -1, -1):
        cls = classes[i]
        if cls in ("S", "B"):
            final[i] = base
            trailing = True
        elif cls in _REMOVED_CLASSES:
            continue
        elif trailing and (cls == "WS" or cls in _ISOLATE_CLASSES):
            final[i] = base
        else:
            trailing = False
    kept = [i for i, cls in enumerate(classes) if cls not in _REMOVED_CLASSES]
    order = kept[:]
    if order:
        high = max(final[i] for i in order)
        low_odd = min((final[i] for i in order if final[i] % 2), default=high + 1)
        for level in range(high, low_odd - 1, -1):
            j = 0
            while j < len(order):
                if final[order[j]] >= level:
                    k = j
                    while k < len(order) and final[order[k]] >= level:
                        k += 1
                    order[j:k] = order[j:k][::-1]
                    j = k
                else:
                    j += 1
    return order, final


def display_order(text: str, rtl: bool, *, force_levels: bool = False) -> str:
    """One logical line in visual (left-to-right drawing) order, mirrored where resolved RTL.

    ``rtl`` is the paragraph direction. Characters removed by rule X9 are dropped; isolate
    marks (LRI, RLI, FSI, PDI) stay in place (callers strip them before drawing).
    ``force_levels`` takes the levels path even without a mirrorable character (tests).
    """
    if not force_levels and _mirror_class().search(text) is None:
        display = get_display(text, base_dir="R" if rtl else "L")
        assert isinstance(display, str)
        return X9_REMOVED.sub("", display)
    table = mirroring()
    order, levels = visual_indices(text, rtl)
    return "".join(
        table.get(text[i], text[i]) if levels[i] % 2 else text[i] for i in order
    )
