"""Regenerate the screenshot gallery: every section in Arabic and French at 1366x768, taken
in a real window under Xvfb, into docs/screenshots/gallery/ (issue 13).

    .venv/bin/python scripts/gallery.py            # from the repository root

It runs tests/ui/test_gallery.py under `xvfb-run` (the X virtual framebuffer, a 1366x768
screen) with the xcb platform plugin, and writes docs/screenshots/gallery/README.md, the
page the project README links to. Look at every picture after a change to a screen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "gallery"
LANGS = {"ar": "العربية", "fr": "Français"}


def run_tests() -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", GALLERY_OUT=str(OUT))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               str(ROOT / "tests" / "ui" / "test_gallery.py")]
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            print("gallery: xvfb-run is missing (apt-get install xvfb)", file=sys.stderr)
            return 2
        command = ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", *command]
    return subprocess.call(command, cwd=ROOT, env=env)


def write_index() -> None:
    lines = ["# Screenshot gallery", "",
             "Every section of Jisr Desktop at 1366x768, as a coordinator sees it on a morning "
             "with demo data, in Arabic and in French. Made by `scripts/gallery.py` (a real "
             "window under Xvfb); do not edit by hand.", ""]
    rows: dict[str, dict[str, tuple[str, str]]] = {}
    for lang in LANGS:
        index = OUT / f"index_{lang}.txt"
        if not index.exists():
            continue
        for line in index.read_text(encoding="utf-8").splitlines():
            name, title = line.split("\t", 1)
            key = name.rsplit("_", 1)[0]
            rows.setdefault(key, {})[lang] = (name, title)
    lines += ["| " + " | ".join(LANGS.values()) + " |", "|" + "---|" * len(LANGS)]
    for key in sorted(rows):
        cells = []
        for lang in LANGS:
            name, title = rows[key].get(lang, ("", ""))
            cells.append(f"**{title}**<br>![{title}]({name})" if name else "")
        lines.append("| " + " | ".join(cells) + " |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()  # a removed section leaves no picture behind
    code = run_tests()
    write_index()
    for index in OUT.glob("index_*.txt"):
        index.unlink()
    print(f"gallery: {len(list(OUT.glob('*.png')))} pictures in {OUT.relative_to(ROOT)}")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
