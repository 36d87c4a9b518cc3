"""Exports read back equal; formula-looking cells are neutralised (phones: kept in XLSX only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from jisr_desktop.reports.exports import (
    neutralise,
    read_csv,
    read_xlsx,
    restore,
    write_csv,
    write_xlsx,
)

COLUMNS = [("id", "رقم"), ("name_ar", "الاسم"), ("name_fr", "Nom"), ("phone", "Téléphone"),
           ("born", "Date de naissance"), ("visits", "Visites"), ("note", "Note")]
ROWS = [
    {"id": 1, "name_ar": "مريم العلوي", "name_fr": "Meryem El Alaoui", "phone": "+212612345678",
     "born": dt.date(2024, 3, 1), "visits": 12, "note": "حساسية (الحليب)"},
    {"id": 2, "name_ar": "أمين", "name_fr": "Amine", "phone": "+212 6 12",  # not E.164: neutralised
     "born": dt.date(2023, 12, 31), "visits": 0, "note": "=HYPERLINK(\"http://x\",\"clic\")"},
    {"id": 3, "name_ar": "سارة", "name_fr": "Sara", "phone": None,
     "born": None, "visits": 3, "note": "-2+3"},
    {"id": 4, "name_ar": "@يوسف", "name_fr": "Youssef, \"Jo\"", "phone": "0612345678",
     "born": dt.date(2025, 1, 2), "visits": 1, "note": "ligne 1\nligne 2"},
]
HEADERS = [h for _, h in COLUMNS]


def test_neutralise_rules() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+1") == "'+1"
    assert neutralise("-1") == "'-1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("Amine") == "Amine"
    assert neutralise(-5) == -5  # numbers are not text: left alone
    assert neutralise("+212612345678") == "'+212612345678"
    assert neutralise("+212612345678", keep_e164=True) == "+212612345678"
    assert neutralise("+212 612345678", keep_e164=True) == "'+212 612345678"
    assert neutralise("+2126=1", keep_e164=True) == "'+2126=1"
    assert restore(neutralise("=1")) == "=1"
    assert restore("'ordinary") == "'ordinary"


def test_xlsx_round_trip_equal(tmp_path: Path) -> None:
    path = tmp_path / "persons.xlsx"
    assert write_xlsx(path, ROWS, COLUMNS, rtl=True) == len(ROWS)
    headers, rows = read_xlsx(path)
    assert headers == HEADERS
    expected = [{h: row[k] for k, h in COLUMNS} for row in ROWS]
    assert rows == expected


def test_xlsx_cells_are_neutralised_and_phone_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "persons.xlsx"
    write_xlsx(path, ROWS, COLUMNS, rtl=True)
    sheet = load_workbook(path).worksheets[0]
    assert sheet.sheet_view.rightToLeft
    phone = sheet["D2"]
    assert phone.value == "+212612345678" and phone.data_type == "s"
    assert sheet["D3"].value == "'+212 6 12"
    assert sheet["G3"].value.startswith("'=") and sheet["G3"].data_type == "s"
    assert sheet["G4"].value == "'-2+3"
    assert sheet["B5"].value == "'@يوسف"
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert sheet["F2"].value == 12 and sheet["F2"].data_type == "n"


def test_csv_round_trip_equal_as_text(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    assert write_csv(path, ROWS, COLUMNS) == len(ROWS)
    headers, rows = read_csv(path)
    assert headers == HEADERS
    expected = [
        {h: "" if row[k] is None else (row[k].isoformat() if isinstance(row[k], dt.date) else str(row[k]))
         for k, h in COLUMNS}
        for row in ROWS
    ]
    assert rows == expected


def test_csv_has_bom_and_neutralises_phones_too(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    write_csv(path, ROWS, COLUMNS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "مريم العلوي".encode() in raw
    _, rows = read_csv(path, undo_neutralise=False)
    assert rows[0]["Téléphone"] == "'+212612345678"
    assert rows[1]["Note"].startswith("'=")
    assert rows[2]["Note"] == "'-2+3"
    assert rows[3]["الاسم"] == "'@يوسف"
    assert rows[3]["Téléphone"] == "0612345678"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))


def test_large_xlsx_export_streams(tmp_path: Path) -> None:
    rows = ({"id": i, "name": f"شخص {i}"} for i in range(5000))
    path = tmp_path / "big.xlsx"
    assert write_xlsx(path, rows, ["id", "name"]) == 5000
    headers, back = read_xlsx(path)
    assert headers == ["id", "name"] and len(back) == 5000 and back[-1] == {"id": 4999, "name": "شخص 4999"}
