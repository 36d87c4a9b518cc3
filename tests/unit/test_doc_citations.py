"""Every document a comment or docstring cites is in the repository (issue 11): code is read
next to its design notes, so a citation of a file that is not there is a dead end."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CITED = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
SCANNED = ("jisr_desktop", "jisr_hq", "jisr_protocol", "tests", "bench", "scripts")


def test_every_cited_document_exists() -> None:
    missing = []
    for top in SCANNED:
        for path in sorted((REPO / top).rglob("*.py")):
            if path == Path(__file__).resolve():
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for name in CITED.findall(line):
                    if not ((REPO / name).exists() or (REPO / "docs" / name).exists()):
                        missing.append(f"{path.relative_to(REPO)}:{n}: {name}")
    assert missing == []
