"""An HQ server installs without the desktop (issue 11): a fresh venv gets requirements/hq.txt
(hash-checked) and the project's wheel with its `hq` extra and no index, so nothing else can
come in; Qt, SQLCipher, ReportLab and PyInstaller are then not importable, and `jisr-hq
migrate` and `jisr-hq serve` work and answer the ping."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.buildkit import REQUIREMENTS, build_wheel, clean_env, pip, tree_size
from tests.hq.pg_server import free_port

pytestmark = pytest.mark.slow

DESKTOP_ONLY = ["PySide6", "shiboken6", "sqlcipher3", "reportlab", "PyInstaller", "keyring",
                "openpyxl", "pypdfium2", "arabic_reshaper", "bidi", "sqlite_utils", "babel"]
HQ_NEEDS = ["django", "ninja", "psycopg", "uvicorn", "argon2", "pydantic", "orjson",
            "jisr_hq", "jisr_protocol"]
# The HQ venv's site-packages is about 70 MiB; with the desktop's libraries (the `.[hq]` of
# before issue 11) it was about 484 MiB.
MAX_SITE_PACKAGES = 150 * 1024 * 1024
PING = "/api/sync/ping"


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _site_packages(venv: Path) -> Path:
    found = list(venv.glob("lib*/python3*/site-packages")) or [venv / "Lib/site-packages"]
    return found[0]


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, f"{args}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def hq_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hq-install")
    wheel = build_wheel(tmp)
    venv = tmp / "venv"
    # no pip inside: this venv holds what HQ needs and nothing else (this run's pip installs)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = ("--python", _venv_python(venv))
    pip(*target, "install", "--quiet", "--require-hashes", "--no-deps",
        "-r", REQUIREMENTS / "hq.txt", cwd=tmp)
    # the wheel with its `hq` extra, no index: the lock must already hold all of it
    pip(*target, "install", "--quiet", "--no-index", f"{wheel}[hq]", cwd=tmp)
    return venv


def test_hq_venv_has_no_desktop_libraries(hq_venv: Path, tmp_path: Path) -> None:
    code = ("import importlib.util, json, sys\n"
            f"names = {DESKTOP_ONLY + HQ_NEEDS!r}\n"
            "specs = {n: importlib.util.find_spec(n) for n in names}\n"
            "print(json.dumps({n: s.origin if s else None for n, s in specs.items()}))\n")
    out = _run([_venv_python(hq_venv), "-c", code], cwd=tmp_path, env=clean_env())
    found = json.loads(out.stdout)
    assert {n: found[n] for n in DESKTOP_ONLY if found[n]} == {}
    missing = [n for n in HQ_NEEDS if not found[n]]
    assert missing == []
    # HQ's code is the installed wheel's, not the working tree's
    assert Path(found["jisr_hq"]).is_relative_to(hq_venv)
    size = tree_size(_site_packages(hq_venv))
    print(f"\nHQ venv site-packages: {size / 1024 / 1024:.1f} MiB ({size} bytes)")
    assert size < MAX_SITE_PACKAGES


def test_hq_migrates_and_serves_from_its_own_venv(hq_venv: Path, tmp_path: Path) -> None:
    home = tmp_path / "hq-home"
    env = clean_env(JISR_HQ_HOME=str(home), DJANGO_SECRET_KEY="x" * 50)
    bindir = _venv_python(hq_venv).parent
    jisr_hq = bindir / ("jisr-hq.exe" if sys.platform == "win32" else "jisr-hq")
    migrated = _run([jisr_hq, "migrate"], cwd=tmp_path, env=env)
    assert "jisr_hq" in migrated.stdout  # the app's own migrations ran
    assert (home / "hq.sqlite3").is_file()

    port = free_port()
    server = subprocess.Popen([str(jisr_hq), "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        deadline = time.monotonic() + 60
        while body is None and server.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{PING}", timeout=2) as r:
                    assert r.status == 200
                    body = json.loads(r.read())
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert body is not None, f"no answer on {PING}; server exit {server.poll()}"
        assert body["ok"] is True
        assert isinstance(body["protocol_v"], int)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
