"""Registry and attendance exports to XLSX and CSV that Excel opens safely and in Arabic.

Formula injection (OWASP "CSV injection"): a text cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would be run as a formula by a spreadsheet. The rule here
(`neutralise`, undone exactly by `restore`; docs/security.md, "Desktop"):

* a text value whose first character is ``=``, ``+``, ``-``, ``@``, any control character
  (tab, carriage return, line feed, NUL … DEL and the C1 controls) **or an apostrophe** is
  written with one more apostrophe in front (``'=1+1``, ``'\\nline``);
* so a genuine leading apostrophe is doubled (``'ok`` is written ``''ok``), and reading back
  drops exactly one apostrophe from a value whose rest starts with one of those characters:
  every text survives the round trip unchanged, whatever it starts with.

Phone numbers are stored in E.164 (``+212612345678``) and start with ``+``. The choice made:

* **XLSX**: a value that is *exactly* an E.164 number (``^\\+[1-9][0-9]{7,14}$``) is written
  unchanged as a string cell (type ``s``): Excel never evaluates a string cell, and the
  coordinator sees and can dial the real number. Every other trigger value gets the apostrophe.
* **CSV**: *every* trigger value is neutralised, phones included: CSV has no cell types, so
  Excel would read ``+212612345678`` as a formula/number (and drop the plus). A coordinator
  sees ``'+212612345678`` in CSV; the round-trip readers below strip the apostrophe back.

XLSX cannot hold the control characters XML forbids (NUL, U+0001 …, but not tab, line feed
or carriage return): they are written as U+FFFD (the forms refuse them, so only a value
from before that rule can carry one).

CSV is UTF-8 with a byte-order mark so that Excel detects UTF-8 and shows Arabic. Its separator
follows the export's language (`default_separator`): Excel in a French or Moroccan locale splits
a double-clicked CSV on ``;`` (the list separator of those locales, where ``,`` is the decimal
mark), so French and Arabic exports use ``;`` and English ones ``,``; ``tab`` is offered too.
Quoting keeps a value that contains the separator in one cell. XLSX sheets are set right to
left for Arabic exports. Numbers, dates and booleans keep their types in XLSX.

Dates and times are real Excel cells (a serial number with a date format, ``DD/MM/YYYY`` and
``DD/MM/YYYY HH:MM``), never text. Excel has no time zones: a stored moment (UTC, ISO 8601)
is written as the wall-clock time of the center, Africa/Casablanca (`local_time`). Morocco was
on UTC+1 except during Ramadan (UTC+0) from 2018; IANA 2026f has it on UTC+0 for good from
20 September 2026. The dates of those changes come from the IANA time-zone database through
`zoneinfo`, read from the pinned ``tzdata`` package (`center_zone`: the same on every PC,
Windows included, whose system has no such database). CSV writes the same wall-clock times
as ``2026-09-15 09:00``, which Excel reads as a date and time.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
APOSTROPHE = "'"
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
# Excel's limit; longer text is truncated by Excel itself, so refuse rather than lose data silently.
XLSX_CELL_LIMIT = 32767

Column = str | tuple[str, str]

CENTER_ZONE = "Africa/Casablanca"  # every center is in Morocco
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

# The separators a CSV export may use, by the name a person types (``--separator``, setting).
CSV_SEPARATORS = {";": ";", ",": ",", "tab": "\t"}


def default_separator(lang: str) -> str:
    """``;`` for a French or Arabic export (what Excel expects in those locales), else ``,``."""
    return ";" if lang in ("fr", "ar") else ","


@cache
def center_zone() -> ZoneInfo:
    """The center's time zone, read from the pinned ``tzdata`` package first.

    The package, not the system's database: every PC then gives the same wall-clock times,
    whatever its system's copy says (Debian 12's tzdata 2025b still has Morocco on UTC+1
    after September 2026, where IANA 2026f, the pinned package, has it on UTC+0). The system
    database is the fallback when the package is missing.
    """
    try:
        from importlib import resources

        import tzdata  # an explicit import: PyInstaller's tzdata hook then bundles the zone files

        source = resources.files(tzdata).joinpath("zoneinfo", *CENTER_ZONE.split("/"))
        with source.open("rb") as handle:
            return ZoneInfo.from_file(handle, key=CENTER_ZONE)
    except (ImportError, OSError):
        return ZoneInfo(CENTER_ZONE)


def local_time(value: str | dt.datetime | None) -> dt.datetime | None:
    """A stored moment (ISO 8601 with its offset, or an aware ``datetime``) as the center's
    wall-clock time, without a zone (what an Excel cell holds); empty gives ``None``."""
    if value is None or value == "":
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        return moment  # already a wall-clock time
    return moment.astimezone(center_zone()).replace(tzinfo=None)


def _guarded(text: str) -> bool:
    """Whether text must get an apostrophe in front (see the module docstring)."""
    return bool(text) and (text.startswith((*FORMULA_TRIGGERS, APOSTROPHE))
                           or unicodedata.category(text[0]) == "Cc")


def neutralise(value: Any, *, keep_e164: bool = False) -> Any:
    """Prefix an apostrophe to text that a spreadsheet would run as a formula, that starts
    with a control character, or that starts with an apostrophe (module docstring).

    Non-text values are returned unchanged. With ``keep_e164`` an exact E.164 phone number is
    kept as is (safe only where the cell is typed as text, i.e. XLSX).
    """
    if not isinstance(value, str) or not _guarded(value):
        return value
    if keep_e164 and E164.match(value):
        return value
    return APOSTROPHE + value


def restore(value: str) -> str:
    """Undo :func:`neutralise` on a value read back from an export (exactly: one apostrophe
    is dropped only where `neutralise` put one)."""
    if value.startswith(APOSTROPHE) and _guarded(value[1:]):
        return value[1:]
    return value


def _split_columns(columns: Sequence[Column]) -> tuple[list[str], list[str]]:
    keys = [c if isinstance(c, str) else c[0] for c in columns]
    headers = [c if isinstance(c, str) else c[1] for c in columns]
    return keys, headers


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return f"{local_time(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def write_csv(path: str | Path, rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], *,
              separator: str = ",") -> int:
    """Write ``rows`` (dicts) as UTF-8-with-BOM CSV; ``columns`` are keys or ``(key, header)``.

    ``separator`` is one character of `CSV_SEPARATORS` (``;``, ``,`` or a tab). Returns the
    number of data rows written. Every formula-looking value is neutralised.
    """
    if separator not in CSV_SEPARATORS.values():
        raise ValueError(f"unsupported CSV separator {separator!r}")
    keys, headers = _split_columns(columns)
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in headers])
        for row in rows:
            writer.writerow([neutralise(_csv_text(row.get(k))) for k in keys])
            count += 1
    return count


def write_xlsx(
    path: str | Path,
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    sheet_title: str = "export",
    rtl: bool = False,
    column_width: float = 18,
) -> int:
    """Write ``rows`` to a one-sheet XLSX (streaming, so 200,000 rows fit in memory).

    Text is neutralised except exact E.164 phones (see the module docstring); ``rtl`` sets the
    sheet right to left for Arabic. Returns the number of data rows written.
    """
    keys, headers = _split_columns(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "export")
    sheet.sheet_view.rightToLeft = rtl
    sheet.freeze_panes = "A2"
    for index in range(1, len(keys) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(header, keep_e164=False))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row.get(k), k) for k in keys])
        count += 1
    workbook.save(str(path))
    return count


def _xlsx_cell(sheet: Any, value: Any, key: str) -> Any:
    """A value, or a date cell with its format (a moment in the center's wall-clock time)."""
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=local_time(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return _xlsx_value(value, key)


def _xlsx_value(value: Any, key: str) -> Any:
    if isinstance(value, str):
        if len(value) > XLSX_CELL_LIMIT:
            raise ValueError(f"value of {key!r} is longer than an Excel cell can hold")
        return _xlsx_text(value)
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime | dt.time):
        return value
    return _xlsx_text(str(value))


def _xlsx_text(text: str, *, keep_e164: bool = True) -> str:
    """Text for an XLSX cell: what XML cannot hold becomes U+FFFD, then `neutralise`."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text), keep_e164=keep_e164)


def _read_cell(cell: Any, fix: Any) -> Any:
    """A cell's value; a date-only format gives a ``date`` back rather than midnight."""
    value = cell.value
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, dt.datetime) and not re.search(r"[hs]", str(cell.number_format), re.I):
        return value.date()
    return value


def _guess_separator(first_line: str) -> str:
    """The separator of an export from its header line: the candidate seen most often
    outside quotes (``,`` when none is)."""
    counts = dict.fromkeys(CSV_SEPARATORS.values(), 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def read_csv(path: str | Path, *, undo_neutralise: bool = True,
             separator: str | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """Read an export back: ``(headers, rows)`` with text values (for tests and re-imports).

    ``separator`` defaults to the one the header line uses (see `_guess_separator`)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        if separator is None:
            separator = _guess_separator(handle.readline())
            handle.seek(0)
        reader = csv.reader(handle, delimiter=separator)
        headers = next(reader, [])
        fix = restore if undo_neutralise else (lambda v: v)
        headers = [fix(h) for h in headers]
        rows = [dict(zip(headers, (fix(v) for v in line), strict=True)) for line in reader]
    return headers, rows


def read_xlsx(path: str | Path, *, undo_neutralise: bool = True) -> tuple[list[str], list[dict[str, Any]]]:
    """Read the first sheet of an export back: ``(headers, rows)`` with typed values."""
    workbook = load_workbook(str(path), read_only=True)
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows()
        fix = restore if undo_neutralise else (lambda v: v)
        headers = [fix(str(c.value)) for c in next(lines, ())]
        rows = [
            {h: _read_cell(c, fix) for h, c in zip(headers, line, strict=True)}
            for line in lines
        ]
    finally:
        workbook.close()
    return headers, rows
