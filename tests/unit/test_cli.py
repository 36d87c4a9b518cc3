"""The `jisr` command, run as a real subprocess with its own data root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jisr_desktop import __version__, paths


def jisr(home: Path, *args: str, lang: str = "en", stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", lang, *args],
                          capture_output=True, text=True, env=env, timeout=120, input=stdin)


COORDINATOR = ("--user", "coordinator")  # the demo's coordinator (jisr_desktop/cli/__init__.py)
PASSWORD = "jisr-demo-1\n"


def test_version() -> None:
    out = subprocess.run([sys.executable, "-m", "jisr_desktop", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"jisr {__version__}"


def test_init_demo_search_check(tmp_path: Path) -> None:
    home = tmp_path / "h"
    out = jisr(home, "init", "--code", "rbt01", "--name-ar", "فضاء الرباط", "--province", "04.421")
    assert out.returncode == 0, out.stderr
    assert paths.database_path(home).exists()
    again = jisr(home, "init")
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already exists" in again.stderr
    out = jisr(home, "demo", "--persons", "60", "--seed", "7")
    assert out.returncode == 0, out.stderr
    assert "60" in out.stdout
    out = jisr(home, "search", "RBT01-", "--limit", "100")
    lines = out.stdout.strip().splitlines()
    assert out.returncode == 0 and len(lines) == 60
    first_name = lines[0].split("\t")[1].split()[0]
    out = jisr(home, "search", first_name)
    assert first_name in out.stdout
    out = jisr(home, "check")
    assert out.returncode == 0 and "Integrity: ok" in out.stdout
    assert (home / "logs" / "jisr.log").exists()


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        home = tmp_path / name
        assert jisr(home, "demo", "--persons", "40", "--seed", "3").returncode == 0
        out = jisr(home, "search", "DEMO-DEMO-0", "--limit", "100")
        outputs.append(sorted(line.split("\t", 1)[1] for line in out.stdout.splitlines()))
    assert outputs[0] == outputs[1] and len(outputs[0]) == 40


def test_errors_are_one_translated_line(tmp_path: Path) -> None:
    out = jisr(tmp_path / "none", "search", "x")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "jisr init" in out.stderr
    assert "Traceback" not in out.stderr
    out = jisr(tmp_path / "none", "check", lang="fr")
    assert out.returncode == 2 and "Il n'y a pas de base de données" in out.stderr
    home = tmp_path / "bad"
    assert jisr(home, "init").returncode == 0
    paths.key_file_path(home).write_text("00" * 32)
    out = jisr(home, "search", "x", lang="ar")
    assert out.returncode == 2 and "المفتاح غير صحيح" in out.stderr


def test_export_key_then_restore_on_another_pc(tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert jisr(home, "demo", "--persons", "5").returncode == 0
    key_copy = tmp_path / "usb" / "jisr.key"
    key_copy.parent.mkdir()
    out = jisr(home, "export-key", "--to", str(key_copy.parent), *COORDINATOR, stdin=PASSWORD)
    assert out.returncode == 0, out.stderr
    assert key_copy.read_text() == paths.key_file_path(home).read_text()
    assert oct(key_copy.stat().st_mode & 0o777) == "0o600"
    again = jisr(home, "export-key", "--to", str(key_copy), *COORDINATOR, stdin=PASSWORD)
    assert again.returncode == 2 and "exists already" in again.stderr
    assert jisr(home, "backup", "--to", str(key_copy.parent), *COORDINATOR, stdin=PASSWORD).returncode == 0
    (backup_file,) = key_copy.parent.glob("*.jisrbak")
    other = tmp_path / "new-pc"
    out = jisr(other, "restore", str(backup_file), "--yes", "--key-file", str(key_copy), *COORDINATOR,
               stdin=PASSWORD)
    assert out.returncode == 0, out.stderr
    assert len(jisr(other, "search", "DEMO-DEMO-0").stdout.splitlines()) == 5
