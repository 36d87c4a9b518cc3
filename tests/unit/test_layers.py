"""The layer rule: only jisr_desktop/ui imports PySide6 (checked in a clean interpreter)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "jisr_desktop"
HEADLESS = ["jisr_desktop.domain", "jisr_desktop.services", "jisr_desktop.db", "jisr_desktop.reports",
            "jisr_desktop.sync", "jisr_desktop.cli"]


def test_headless_layers_do_not_import_qt() -> None:
    modules = []
    for pkg in HEADLESS:
        folder = PACKAGE / pkg.split(".", 1)[1]
        if folder.is_dir():
            modules += [f"{pkg}.{p.stem}" for p in sorted(folder.glob("*.py")) if p.stem != "__init__"]
        modules.append(pkg)
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n    importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"PySide6 imported by a headless layer: {out.stdout}"


def test_no_source_file_outside_ui_imports_qt() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in {"PySide6", "shiboken6"} for n in names):
                offenders.append(str(path))
    assert offenders == []
