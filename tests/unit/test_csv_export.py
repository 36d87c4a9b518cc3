"""CSV and XLSX exports: a value starting with a formula character, a line feed or another
control character is neutralised; a genuine leading apostrophe survives the round trip
(the rule: jisr_desktop/reports/exports.py and docs/security.md, "Desktop")."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jisr_desktop.reports.exports import (
    neutralise,
    read_csv,
    read_xlsx,
    restore,
    write_csv,
    write_xlsx,
)

DANGEROUS = ["=1+1", "+33", "-2", "@SUM(A1)", "\t=1", "\r=1", "\n=1+1", "\nline", "\x00nul",
             "\x01start", "\x1bescape", "\x7fdel", "\x85next line"]
GENUINE = ["'quoted", "'=1+1", "''two", "'", "'\nx", "it's", "O'Brien", "plain", "", "ok=1", "a\nb"]


def _cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_dangerous_first_character_is_neutralised_in_csv(tmp_path: Path, value: str) -> None:
    path = tmp_path / "x.csv"
    write_csv(path, [{"v": value}], [("v", "Value")])
    raw = _cells(path)[1]
    assert raw == "'" + value  # an apostrophe first: a spreadsheet shows text, runs nothing
    _, rows = read_csv(path)
    assert rows == [{"Value": value}]


@pytest.mark.parametrize("value", GENUINE)
def test_a_genuine_apostrophe_and_plain_text_survive_the_round_trip(tmp_path: Path, value: str) -> None:
    path = tmp_path / "x.csv"
    write_csv(path, [{"v": value}], [("v", "Value")])
    _, rows = read_csv(path)
    assert rows == [{"Value": value}]
    raw = _cells(path)[1]
    assert raw == ("'" + value if value.startswith("'") else value)


def test_the_rule_is_its_own_exact_inverse() -> None:
    for value in DANGEROUS + GENUINE:
        assert restore(neutralise(value)) == value
        assert neutralise(value)[:1] not in ("=", "+", "-", "@", "\n", "\t", "\r")
    assert neutralise("'ok") == "''ok" and restore("''ok") == "'ok"
    assert restore("'ok") == "'ok"  # an apostrophe the export did not add is kept


def test_xlsx_neutralises_the_same_and_never_holds_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    values = DANGEROUS + GENUINE
    write_xlsx(path, [{"v": v} for v in values], [("v", "Value")])
    sheet = load_workbook(path).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    _, rows = read_xlsx(path)
    back = [r["Value"] for r in rows]
    for value, got in zip(values, back, strict=True):
        # XML cannot hold NUL and most C0 controls: each is U+FFFD (jisr_desktop/reports/exports.py)
        expected = "".join("\ufffd" if ord(ch) < 32 and ch not in "\t\n\r" else ch for ch in value)
        assert (got or "") == expected
    assert sheet["A2"].value == "'=1+1"
