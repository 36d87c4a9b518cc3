"""Helpers for the tests that build or install the project: a clean copy of its sources (as a
fresh checkout has them: no compiled catalogs, no caches) and a wheel built from that copy, so
that no build ever writes into the shared working tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("jisr_desktop", "jisr_hq", "jisr_protocol")
PROJECT_FILES = ("pyproject.toml", "setup.py", "README.md")
REQUIREMENTS = ROOT / "requirements"


def copy_sources(dest: Path) -> Path:
    """The project's files as a clean checkout has them, in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.tmp", "*.egg-info")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=ignore)
    return dest


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child that must see only its own venv (no PYTHONPATH, no
    virtualenv of the test run)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP"}
           and not k.startswith(("DJANGO_", "DATABASE_URL", "JISR_"))}
    env.update(extra)
    return env


def pip(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """This venv's pip (pip's own cache is used), failing with its output."""
    out = subprocess.run([sys.executable, "-m", "pip", *map(str, args)], cwd=cwd,
                         env=clean_env(), capture_output=True, text=True)
    assert out.returncode == 0, f"pip {' '.join(map(str, args))}\n{out.stdout}\n{out.stderr}"
    return out


def build_wheel(tmp: Path) -> Path:
    """Build the project's wheel from a clean copy of its sources, with the build tools of the
    locked venv (setuptools, Babel: `--no-build-isolation`, nothing downloaded)."""
    src = copy_sources(tmp / "src")
    dist = tmp / "dist"
    pip("wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", dist, src, cwd=tmp)
    wheels = sorted(dist.glob("jisr_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def tree_size(folder: Path) -> int:
    """Bytes of the regular files under `folder` (links not followed)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
