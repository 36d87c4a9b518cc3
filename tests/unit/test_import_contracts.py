"""The import contracts of pyproject.toml ([tool.importlinter], run by `make lint`) bite: on a
copy of the three packages, a deliberate forbidden import makes `lint-imports` fail and name
the contract and the import; the untouched copy keeps every contract."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.buildkit import PACKAGES, ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = ["desktop-layers", "ui-not-db", "sync-reports-not-services", "hq-not-desktop",
             "protocol-standalone", "qt-only-in-ui"]
"""Every contract of pyproject.toml; the code keeps them all."""


def _copy(dest: Path) -> Path:
    """pyproject.toml (the contracts) and the packages' Python files, in `dest`."""

    def not_python(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n == "__pycache__"
                or (not n.endswith(".py") and not (Path(folder) / n).is_dir())}

    dest.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=not_python)
    return dest


def _lint(copy: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """lint-imports on the copy: the copy's packages come first on the path (the editable
    install's finder only answers for what the path does not hold)."""
    env = {**os.environ, "PYTHONPATH": str(copy), "COLUMNS": "400", "NO_COLOR": "1"}
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo", "pyproject.toml"]
    for contract in contracts:
        args += ["--contract", contract]
    return subprocess.run(args, cwd=copy, env=env, capture_output=True, text=True, timeout=300)


def _contract_names() -> dict[str, str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c["name"] for c in config["tool"]["importlinter"]["contracts"]}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return _copy(tmp_path / "src")


def test_untouched_copy_keeps_every_contract(copy: Path) -> None:
    assert set(CONTRACTS) == set(_contract_names())
    out = _lint(copy, *CONTRACTS)
    assert out.returncode == 0, out.stdout + out.stderr
    names = _contract_names()
    for contract in CONTRACTS:
        assert f"{names[contract]} KEPT" in out.stdout


# (contract, module written into the copy, its code, the import the report must name)
VIOLATIONS = [
    ("sync-reports-not-services", "jisr_desktop/sync/zz_violation.py",
     "import jisr_desktop.services\n", "jisr_desktop.sync.zz_violation -> jisr_desktop.services"),
    ("desktop-layers", "jisr_desktop/sync/zz_violation.py",
     "import jisr_desktop.services\n", "jisr_desktop.sync.zz_violation -> jisr_desktop.services"),
    ("desktop-layers", "jisr_desktop/sync/zz_violation.py",
     "import jisr_desktop.reports\n", "jisr_desktop.sync.zz_violation -> jisr_desktop.reports"),
    ("desktop-layers", "jisr_desktop/db/zz_violation.py",
     "from jisr_desktop import ledger\n", "jisr_desktop.db.zz_violation -> jisr_desktop.ledger"),
    ("ui-not-db", "jisr_desktop/ui/zz_violation.py",
     "import jisr_desktop.db\n", "jisr_desktop.ui.zz_violation -> jisr_desktop.db"),
    ("ui-not-db", "jisr_desktop/ui/zz_violation.py",
     "from jisr_desktop.ledger import outbox\n",
     "jisr_desktop.ui.zz_violation -> jisr_desktop.ledger.outbox"),
    ("hq-not-desktop", "jisr_hq/zz_violation.py",
     "from jisr_desktop import paths\n", "jisr_hq.zz_violation -> jisr_desktop.paths"),
    ("protocol-standalone", "jisr_protocol/zz_violation.py",
     "import django.conf\n", "jisr_protocol.zz_violation -> django"),
    ("protocol-standalone", "jisr_protocol/zz_violation.py",
     "from jisr_hq import errors\n", "jisr_protocol.zz_violation -> jisr_hq.errors"),
    ("qt-only-in-ui", "jisr_desktop/db/zz_violation.py",
     "from PySide6 import QtCore\n", "jisr_desktop.db.zz_violation -> PySide6"),
    ("qt-only-in-ui", "jisr_desktop/zz_violation.py",
     "import PySide6.QtWidgets\n", "jisr_desktop.zz_violation -> PySide6"),
]


@pytest.mark.parametrize(("contract", "module", "code", "reported"), VIOLATIONS,
                         ids=[f"{v[0]}:{v[1]}" for v in VIOLATIONS])
def test_a_forbidden_import_breaks_its_contract(copy: Path, contract: str, module: str,
                                                code: str, reported: str) -> None:
    before = _lint(copy, contract)
    assert reported not in before.stdout
    (copy / module).write_text(code, encoding="utf-8")
    after = _lint(copy, contract)
    assert after.returncode != 0
    assert f"{_contract_names()[contract]} BROKEN" in after.stdout, after.stdout
    assert reported in after.stdout, after.stdout
    assert before.returncode == 0, before.stdout

