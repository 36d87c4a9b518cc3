"""Every user-visible string of the program has an Arabic and a French translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages import extract, pofile

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "jisr_desktop" / "resources" / "locale"
KEYWORDS = {"_": None, "N_": None, "translate": (1,), "translate_plural": (1, 2)}


def _program_strings() -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "jisr_desktop").rglob("*.py")):
        with path.open("rb") as fh:
            for _lineno, message, _comments, _ctx in extract.extract(
                    "python", fh, keywords=KEYWORDS, comment_tags=()):
                if isinstance(message, tuple):
                    message = message[0]
                if message:
                    found.add(message)
    return found


def test_extraction_finds_the_program_strings() -> None:
    strings = _program_strings()
    assert "The birth date is in the future." in strings
    assert len(strings) > 50


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_string_is_translated(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "jisr.po").open("rb") as fh:
        catalog = pofile.read_po(fh, locale=lang)
    translated = set()
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if key and all(strings) and "fuzzy" not in message.flags:
            translated.add(key)
    missing = sorted(_program_strings() - translated)
    assert missing == [], f"{len(missing)} strings without a {lang} translation: {missing[:20]}"


def test_placeholders_survive_translation() -> None:
    import re

    for lang in ("ar", "fr"):
        with (LOCALE / lang / "LC_MESSAGES" / "jisr.po").open("rb") as fh:
            catalog = pofile.read_po(fh, locale=lang)
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set(re.findall(r"{(\w+)}", ids[-1]))
            for text in strings:
                if text:
                    assert set(re.findall(r"{(\w+)}", text)) <= wanted | {"n"}, (lang, ids[0], text)
