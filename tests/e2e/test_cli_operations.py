"""The headless operations as a center's technician runs them: `jisr backup`, `jisr restore`
and `jisr --self-test`, each a real process on a real data root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jisr_desktop import selftest
from jisr_desktop.db import backup as files

REPO = Path(__file__).resolve().parents[2]
COORDINATOR = ("--user", "coordinator")  # the demo's coordinator (jisr_desktop/cli/__init__.py)
PASSWORD = "jisr-demo-1\n"


def jisr(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JISR_")}
    env |= {"JISR_NO_KEYRING": "1", "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en",
                           *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env=env, cwd=REPO)


@pytest.fixture
def center(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    assert jisr(home, "init", "--code", "RBT01", "--name-fr", "Rabat", "--name-ar", "الرباط",
                "--province", "04.421").returncode == 0
    assert jisr(home, "demo", "--persons", "30", "--seed", "3").returncode == 0
    return home


def test_backup_then_restore_from_a_usb_folder(center: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = jisr(center, "backup", "--to", str(usb), *COORDINATOR, stdin=PASSWORD)
    assert made.returncode == 0, made.stderr
    (backup_file,) = usb.glob("jisr-backup-RBT01-*.jisrbak")
    assert str(backup_file) in made.stdout
    in_root = jisr(center, "backup", *COORDINATOR, stdin=PASSWORD)
    assert in_root.returncode == 0 and "backups" in in_root.stdout

    declined = jisr(center, "restore", str(backup_file), *COORDINATOR, stdin=PASSWORD + "n\n")
    assert declined.returncode == 1
    assert "person\t" in declined.stdout and "Nothing was changed." in declined.stdout

    restored = jisr(center, "restore", str(backup_file), "--yes", *COORDINATOR, stdin=PASSWORD)
    assert restored.returncode == 0, restored.stderr
    assert "epoch 2" in restored.stdout and "jisr-before-restore-" in restored.stdout
    assert jisr(center, "check").returncode == 0


def test_restore_of_a_foreign_file_is_refused_with_one_line(center: Path, tmp_path: Path) -> None:
    junk = tmp_path / "holiday-photos.jisrbak"
    junk.write_bytes(os.urandom(8192))
    before = (center / "jisr.db").read_bytes()
    out = jisr(center, "restore", str(junk), "--yes")
    assert out.returncode == 2
    assert out.stderr.startswith("jisr: ") and "nothing was changed" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert (center / "jisr.db").read_bytes() == before


def test_self_test_passes_in_a_real_process(tmp_path: Path) -> None:
    out = jisr(tmp_path / "unused", "--self-test")
    assert out.returncode == 0, out.stdout + out.stderr
    (line,) = out.stdout.splitlines()
    assert line.startswith("jisr self-test OK:") and "7 steps passed" in line
    assert not (tmp_path / "unused").exists()  # the self-test never touches a real data root


def test_self_test_names_the_failing_step(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: selftest.SelfTest) -> str:
        raise AssertionError("search index missing")

    monkeypatch.setattr(selftest.SelfTest, "search", broken)
    lines: list[str] = []
    assert selftest.run_self_test(out=lines.append, gui=False) == 1
    assert lines == ["jisr self-test FAILED at step search: AssertionError: search index missing"]


def test_restore_onto_a_new_pc_with_the_key_file(center: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    assert jisr(center, "backup", "--to", str(usb), *COORDINATOR, stdin=PASSWORD).returncode == 0
    (backup_file,) = usb.glob("*.jisrbak")
    new_pc = tmp_path / "new-pc"
    refused = jisr(new_pc, "restore", str(backup_file), "--yes", *COORDINATOR, stdin=PASSWORD)
    assert refused.returncode == 2 and "no database key" in refused.stderr
    out = jisr(new_pc, "restore", str(backup_file), "--yes", "--key-file", str(center / "jisr.key"),
               *COORDINATOR, stdin=PASSWORD)
    assert out.returncode == 0, out.stderr
    assert jisr(new_pc, "check").returncode == 0
    counts = [files.inspect(home / "jisr.db", (home / "jisr.key").read_text().strip()).counts
              for home in (center, new_pc)]
    assert counts[0] == counts[1] and counts[0]["person"] == 30
