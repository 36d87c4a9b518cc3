"""Morocco's regions and provinces (the reference divisions, `divisions.csv`, a copy of the
desktop's `morocco_admin.csv`: HQ imports nothing of the desktop)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CSV = Path(__file__).with_name("divisions.csv")


@dataclass(frozen=True)
class Division:
    code: str
    kind: str  # region, province, prefecture
    name_fr: str
    name_ar: str
    parent: str

    def name(self, language: str) -> str:
        return self.name_ar if language == "ar" else self.name_fr


@cache
def divisions() -> dict[str, Division]:
    with CSV.open(encoding="utf-8") as fh:
        return {
            row["code"]: Division(
                row["code"], row["kind"], row["name_fr"], row["name_ar"], row["parent_code"]
            )
            for row in csv.DictReader(fh)
        }


def region_of(province_code: str) -> str:
    """The region code of a province (or prefecture) code; the code itself when unknown."""
    div = divisions().get(province_code)
    return div.parent if div and div.parent else province_code.partition(".")[0]


def name_of(code: str, language: str) -> str:
    div = divisions().get(code)
    return div.name(language) if div else code
