"""Bad input to the `jisr` command is one clear translated line and a non-zero exit, never
"unexpected error" nor a misleading message: each case a real process on a real data root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def jisr(home: Path, *args: str, lang: str = "en", stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JISR_")} | {"JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", lang, *args],
                          capture_output=True, text=True, env=env, timeout=120, input=stdin)


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli") / "home"
    made = jisr(home, "demo", "--persons", "5", "--seed", "2")
    assert made.returncode == 0, made.stderr
    return home


def one_line(out: subprocess.CompletedProcess[str], *, code: int = 2) -> str:
    assert out.returncode == code, (out.returncode, out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "unexpected" not in lines[0] and "Traceback" not in out.stderr
    return lines[0]


def test_export_into_a_missing_folder(center: Path, tmp_path: Path) -> None:
    # the place is checked before the password is asked (and before any work)
    line = one_line(jisr(center, "export", "persons", "-o", str(tmp_path / "missing" / "x.csv")))
    assert line == f"jisr: The folder {tmp_path / 'missing'} does not exist: nothing was written."


def test_export_onto_a_folder(center: Path, tmp_path: Path) -> None:
    line = one_line(jisr(center, "export", "persons", "-o", str(tmp_path)))
    assert f"{tmp_path} is a folder" in line and str(tmp_path / "persons.xlsx") in line
    line = one_line(jisr(center, "export", "persons", "-o", str(tmp_path), lang="fr"))
    assert "est un dossier" in line
    assert list(tmp_path.iterdir()) == []


def test_roster_into_a_missing_folder(center: Path, tmp_path: Path) -> None:
    line = one_line(jisr(center, "roster", "nursery", "-o", str(tmp_path / "missing" / "x.pdf")))
    assert "does not exist" in line


def test_report_of_a_month_out_of_range(center: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    line = one_line(jisr(center, "report", "monthly", "--month", "9999-12", "-o", str(out)))
    assert line == "jisr report: argument --month: The month must be between 1900-01 and 2999-12."
    line = one_line(jisr(center, "report", "monthly", "--month", "9999-12", "-o", str(out), lang="ar"))
    assert "يجب أن يكون الشهر" in line
    assert not out.exists()


def test_enroll_with_an_ftp_address_is_refused_before_any_use(tmp_path: Path) -> None:
    home = tmp_path / "new"
    line = one_line(jisr(home, "enroll", "--server", "ftp://hq.example.ma", "--code", "ABCD-EFGH-JKMN"))
    assert "must begin with https://" in line
    assert not (home / "jisr.db").exists()  # neither the database nor the network was touched


def test_enroll_with_an_empty_code(tmp_path: Path) -> None:
    home = tmp_path / "new"
    line = one_line(jisr(home, "enroll", "--server", "https://hq.example.ma", "--code", ""))
    assert "Enter the enrollment code" in line
    assert not (home / "jisr.db").exists()


def test_export_key_into_a_missing_folder_does_not_say_the_key_is_wrong(center: Path, tmp_path: Path) -> None:
    line = one_line(jisr(center, "export-key", "--to", str(tmp_path / "missing" / "k")))
    assert "key is wrong" not in line and "does not exist" in line


def test_restore_with_a_missing_key_file(center: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.key"
    line = one_line(jisr(center, "restore", str(tmp_path / "b.jisrbak"), "--key-file", str(missing)))
    assert line.startswith(f"jisr: The key file {missing} cannot be read")
    bad = tmp_path / "notes.txt"
    bad.write_text("not a key")
    line = one_line(jisr(center, "restore", str(tmp_path / "b.jisrbak"), "--key-file", str(bad)))
    assert "is not a Jisr Desktop key file" in line


def test_card_sheet_of_an_unknown_person_fails(center: Path, tmp_path: Path) -> None:
    out = tmp_path / "cards.pdf"
    line = one_line(jisr(center, "card-sheet", "--person", "nope", "-o", str(out)))
    assert "“nope”" in line and not out.exists()
