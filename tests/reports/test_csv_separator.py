"""Issue 14 point 6: a CSV export opens in columns when Excel in a French or Moroccan locale
double-clicks it (separator ";" for French and Arabic), ``--separator`` chooses another one,
a bad one is refused in one translated line; the UTF-8 byte-order mark stays."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jisr_desktop.cli.reports import PERSON_HEADERS
from jisr_desktop.i18n import translate
from jisr_desktop.reports.exports import read_csv
from jisr_desktop.services.registry import register_person
from jisr_desktop.settings import Settings

COORD = ("--user", "coord")  # the coordinator of tests/fixtures.py
PASSWORD = "correct horse\n"
COMMA_NAME = "Karim, fils"


def jisr(home: Path, *args: str, ui: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", ui, *args],
                          capture_output=True, text=True, env=env, timeout=180, input=PASSWORD)


def excel_rows(path: Path, delimiter: str) -> list[list[str]]:
    """The file as Excel splits it on a double-click in a locale whose list separator is
    `delimiter` (it reads UTF-8 because of the byte-order mark)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.fixture
def people(coord_ctx):  # type: ignore[no-untyped-def]
    register_person(ctx=coord_ctx, data={"given_name_lat": COMMA_NAME, "family_name_lat": "El Fassi",
                                         "given_name_ar": "كريم", "family_name_ar": "الفاسي"})
    register_person(ctx=coord_ctx, data={"given_name_lat": "Salma", "family_name_lat": "Benali"})
    return coord_ctx.db.execute("SELECT count(*) FROM person WHERE deleted = 0").fetchone()[0]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_french_and_arabic_csv_open_in_columns_in_a_semicolon_locale(home: Path, people, tmp_path: Path,
                                                                     lang: str) -> None:
    out = tmp_path / f"persons-{lang}.csv"
    done = jisr(home, "export", "persons", "--lang", lang, "-o", str(out), *COORD)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, kept
    rows = excel_rows(out, ";")
    headers = [translate(title, lang) for title in PERSON_HEADERS.values()]
    assert rows[0] == headers  # one title per column, not everything in column A
    assert len(rows) == people + 1 and all(len(r) == len(headers) for r in rows)
    given = headers.index(translate(PERSON_HEADERS["given_name_lat"], lang))
    karim = [r for r in rows[1:] if r[given] == COMMA_NAME]
    assert len(karim) == 1  # the comma stays inside one cell
    assert karim[0][headers.index(translate(PERSON_HEADERS["family_name_ar"], lang))] == "الفاسي"
    _, back = read_csv(out)  # the round-trip reader finds the separator itself
    assert sorted(r[headers[given]] for r in back) == sorted(r[given] for r in rows[1:])


def test_separator_option_gives_commas_or_tabs(home: Path, people, tmp_path: Path) -> None:
    out = tmp_path / "persons.csv"
    done = jisr(home, "export", "persons", "--lang", "fr", "--separator", ",", "-o", str(out), *COORD)
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    headers = [translate(title, "fr") for title in PERSON_HEADERS.values()]
    assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(headers)
    rows = excel_rows(out, ",")
    assert rows[0] == headers and len(rows) == people + 1
    assert any(f'"{COMMA_NAME}"' in line for line in raw.decode("utf-8-sig").splitlines())
    tabbed = tmp_path / "persons.tsv.csv"
    done = jisr(home, "export", "persons", "--lang", "ar", "--separator", "tab", "-o", str(tabbed), *COORD)
    assert done.returncode == 0, done.stderr
    assert excel_rows(tabbed, "\t")[0] == [translate(t, "ar") for t in PERSON_HEADERS.values()]


def test_setting_chooses_the_separator_and_the_option_wins(home: Path, people, tmp_path: Path) -> None:
    Settings(home).set("csv_separator", ",")
    out = tmp_path / "persons.csv"
    assert jisr(home, "export", "persons", "--lang", "fr", "-o", str(out), *COORD).returncode == 0
    assert excel_rows(out, ",")[0] == [translate(t, "fr") for t in PERSON_HEADERS.values()]
    assert jisr(home, "export", "persons", "--lang", "fr", "--separator", ";", "-o", str(out),
                *COORD).returncode == 0
    assert excel_rows(out, ";")[0] == [translate(t, "fr") for t in PERSON_HEADERS.values()]


@pytest.mark.parametrize(("ui", "expected"), [
    ("en", "argument --separator: The separator must be “;”, “,” or “tab”."),
    ("fr", "argument --separator: Le séparateur doit être « ; », « , » ou « tab »."),
    ("ar", "argument --separator: يجب أن يكون الفاصل «;» أو «,» أو «tab»."),
])
def test_bad_separator_is_one_translated_line(home: Path, people, tmp_path: Path, ui: str,
                                              expected: str) -> None:
    out = tmp_path / "persons.csv"
    done = jisr(home, "export", "persons", "--separator", "|", "-o", str(out), *COORD, ui=ui)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in done.stderr, done.stderr
    assert not out.exists()
