"""The layer rule: only jisr_desktop/ui imports PySide6. `make lint`'s contract `qt-only-in-ui`
(pyproject.toml) checks the direct imports; this checks, in a clean interpreter, that
importing every headless module (with what it imports in turn) loads no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "jisr_desktop"
# The desktop's layers below ui and above it (cli), its shared top-level modules, and the
# wire protocol; `jisr_desktop.ledger` and the `cli` package are taken when they exist.
HEADLESS = ["jisr_desktop.domain", "jisr_desktop.db", "jisr_desktop.ledger",
            "jisr_desktop.services", "jisr_desktop.reports", "jisr_desktop.sync",
            "jisr_desktop.cli", "jisr_desktop.context", "jisr_desktop.i18n",
            "jisr_desktop.errors", "jisr_desktop.paths", "jisr_desktop.settings",
            "jisr_desktop.log", "jisr_desktop.crash", "jisr_desktop.selftest", "jisr_protocol"]


def _modules(name: str) -> list[str]:
    """`name` and, for a package, every module under it."""
    path = ROOT / name.replace(".", "/")
    if path.is_dir():
        return [name] + sorted(
            ".".join(p.relative_to(ROOT).with_suffix("").parts)
            for p in path.rglob("*.py") if p.stem != "__init__" and "__pycache__" not in p.parts)
    return [name] if path.with_suffix(".py").is_file() else []


def test_headless_layers_do_not_import_qt() -> None:
    modules = [m for name in HEADLESS for m in _modules(name)]
    assert len(modules) > 50  # the headless code is really there
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n    importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"PySide6 imported by a headless layer: {out.stdout}"
