"""Issue 14 point 8: member cards. The sheet prints only the cards never printed (a new
member's, a reprint's) on request; each card shows the file number and issue date, so two
people of the same name get different cards; a long name wraps to two lines instead of
shrinking to 5 pt. Cards keep 85.60 × 54.00 mm and every QR code decodes (zbar's zbarimg)
to the card's code. `jisr --help` shows the card-sheet help as written (no `%` mishap)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from reportlab.lib.units import mm

from jisr_desktop.reports import cards_sheet
from jisr_desktop.reports.cards_sheet import build_card_sheet, cards_to_print
from jisr_desktop.reports.render import render_page_png
from jisr_desktop.services import cards, club
from jisr_desktop.services.registry import register_person
from tests.unit.reports import scenario

LONG_LATIN = "Mohamed Amine Abdelkader Ben Abdeslam El Idrissi Alaoui"
SAMPLES = os.environ.get("PAPER_SAMPLES")  # a folder: the sheets as PNGs there, to be looked at


def jisr(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=180)


@pytest.fixture
def sc(coord_ctx, ctx, clock):  # type: ignore[no-untyped-def]
    made = scenario.build(coord_ctx, ctx, clock)
    for key, data in (("twin1", {}), ("twin2", {}),
                      ("long", {"given_name_lat": LONG_LATIN, "family_name_lat": "Bennani",
                                "given_name_ar": "محمد أمين عبد القادر بن عبد السلام", "family_name_ar": "الإدريسي العلوي"})):
        person = register_person(ctx=coord_ctx, data=data or {
            "given_name_lat": "Karim", "family_name_lat": "El Fassi (fils)", "given_name_ar": "كريم",
            "family_name_ar": "الفاسي", "sex": "M", "birth_year": 1950})
        club.enroll_member(ctx=coord_ctx, person_id=person.id)
        made.people[key] = person
    return made


def pdf_lines(pdf: bytes) -> list[str]:
    out = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        out += [" ".join(line.split()) for line in page.extract_text(extraction_mode="layout").splitlines()]
    return [line for line in out if line]


def decoded_qr_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every QR code of every page, as zbarimg reads it from the page printed at 300 dpi."""
    found: list[str] = []
    for page in range(len(pypdf.PdfReader(io.BytesIO(pdf)).pages)):
        png = tmp_path / f"page{page}.png"
        render_page_png(pdf, page, dpi=300, out=png)
        done = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode in (0, 4), done.stderr  # 4: no symbol on the page
        found += done.stdout.split()
    return found


def font_sizes(pdf: bytes) -> list[float]:
    sizes: list[float] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        ops = pypdf.generic.ContentStream(page.get_contents(), page.pdf).operations
        sizes += [float(operands[1]) for operands, op in ops if op == b"Tf"]
    return sizes


def test_only_new_or_reprinted_cards_are_printed_again(home: Path, coord_ctx, sc, tmp_path: Path) -> None:
    every = tmp_path / "all.pdf"
    done = jisr(home, "card-sheet", "--lang", "fr", "-o", str(every))
    assert done.returncode == 0, done.stderr
    live = cards_to_print(coord_ctx.db, lang="fr")
    assert len(live) == 10 and sorted(decoded_qr_codes(every.read_bytes(), tmp_path)) == sorted(c.code for c in live)
    again = jisr(home, "card-sheet", "--new", "--lang", "fr", "-o", str(tmp_path / "none.pdf"))
    assert again.returncode == 2 and "printed already" in again.stderr
    assert not (tmp_path / "none.pdf").exists()
    # a lost card is reprinted, and a new member joins: the sheet of new cards has those two only
    lost = cards.reprint_card(ctx=coord_ctx, person_id=sc.people["driss"].id, service="club")
    newcomer = register_person(ctx=coord_ctx, data={"given_name_lat": "Naima", "family_name_lat": "Zahra"})
    club.enroll_member(ctx=coord_ctx, person_id=newcomer.id)
    fresh = tmp_path / "new.pdf"
    done = jisr(home, "card-sheet", "--new", "--lang", "ar", "-o", str(fresh))
    assert done.returncode == 0, done.stderr
    newcomer_card = cards.card_of(ctx=coord_ctx, person_id=newcomer.id, service="club")
    assert newcomer_card is not None
    assert sorted(decoded_qr_codes(fresh.read_bytes(), tmp_path)) == sorted([lost.code, newcomer_card.code])
    text = "\n".join(pdf_lines(fresh.read_bytes()))
    assert "Naima Zahra" in text and "Khadija Fassi" not in text
    # a chosen list still prints whoever is named, printed before or not
    chosen = tmp_path / "chosen.pdf"
    done = jisr(home, "card-sheet", "--person", sc.people["hajja"].file_no, "--lang", "fr", "-o", str(chosen))
    assert done.returncode == 0, done.stderr
    hajja_card = cards.card_of(ctx=coord_ctx, person_id=sc.people["hajja"].id, service="club")
    assert hajja_card is not None and decoded_qr_codes(chosen.read_bytes(), tmp_path) == [hajja_card.code]


def test_card_shows_file_number_and_issue_date(coord_ctx, sc) -> None:
    out = io.BytesIO()
    build_card_sheet(out, db=coord_ctx.db, lang="fr", day=scenario.DAY, service="club")
    lines = pdf_lines(out.getvalue())
    for key in ("twin1", "twin2"):
        file_no = sc.people[key].file_no
        assert any(f"Dossier {file_no} · émise le 02/11/2026" in line for line in lines), (file_no, lines)
    ar = io.BytesIO()
    build_card_sheet(ar, db=coord_ctx.db, lang="ar", day=scenario.DAY, service="club")
    ar_text = "\n".join(pdf_lines(ar.getvalue()))
    for key in ("twin1", "twin2"):
        assert sc.people[key].file_no in ar_text
    assert "02/11/2026" in ar_text
    assert "(Karim El Fassi (fils" not in ar_text  # the Latin name keeps its brackets in place


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_long_name_wraps_and_the_cards_keep_their_size_and_codes(coord_ctx, sc, tmp_path: Path,
                                                                   lang: str) -> None:
    out = io.BytesIO()
    build_card_sheet(out, db=coord_ctx.db, lang=lang, day=scenario.DAY, service="club")
    pdf = out.getvalue()
    sizes = font_sizes(pdf)
    assert min(sizes) >= 7.0, sorted(sizes)[:5]  # was 5.3 pt: the long name squeezed into one line
    lines = pdf_lines(pdf)
    words = LONG_LATIN.split() + ["Bennani"]
    holding = [line for line in lines if any(w in line for w in words[:3]) or "Bennani" in line]
    assert len(holding) >= 2  # on two lines
    assert all(any(w in line for line in lines) for w in words)  # no word lost
    live = cards_to_print(coord_ctx.db, lang=lang, service="club")
    assert sorted(decoded_qr_codes(pdf, tmp_path)) == sorted(c.code for c in live)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    ops = pypdf.generic.ContentStream(page.get_contents(), page.pdf).operations
    xs, ys, start = set(), set(), None
    for operands, op in ops:  # the cut marks (3 mm strokes) sit on the card edges
        if op == b"m":
            start = [float(v) for v in operands]
        elif op == b"l" and start is not None:
            x, y = (float(v) for v in operands)
            if abs(x - start[0]) < 0.01 and abs(abs(y - start[1]) - 3 * mm) < 0.01:
                xs.add(round(x, 2))
            elif abs(y - start[1]) < 0.01 and abs(abs(x - start[0]) - 3 * mm) < 0.01:
                ys.add(round(y, 2))
    xs_sorted, ys_sorted = sorted(xs), sorted(ys)
    assert len(xs_sorted) == 2 * cards_sheet.COLUMNS
    assert {round((b - a) / mm, 2) for a, b in zip(xs_sorted[::2], xs_sorted[1::2], strict=True)} == {85.6}
    assert {round((b - a) / mm, 2) for a, b in zip(ys_sorted[::2], ys_sorted[1::2], strict=True)} == {54.0}
    if SAMPLES:
        render_page_png(pdf, 0, dpi=150, out=Path(SAMPLES) / f"cards_{lang}.png")


def test_french_sheet_in_latin_order(coord_ctx, sc) -> None:
    """Issue 14 point 7: a French sheet is in the order of the Latin names, an Arabic one in the
    order of the Arabic names."""
    fr = [c.name_lat for c in cards_to_print(coord_ctx.db, lang="fr", service="club")]
    assert fr == [f"{LONG_LATIN} Bennani", "Karim El Fassi (fils)", "Karim El Fassi (fils)", "Driss El Hassani",
                  "Khadija Fassi"]
    ar = [c.name_lat for c in cards_to_print(coord_ctx.db, lang="ar", service="club")]
    assert ar == [f"{LONG_LATIN} Bennani", "Driss El Hassani", "Khadija Fassi", "Karim El Fassi (fils)",
                  "Karim El Fassi (fils)"]


def test_help_shows_the_card_sheet_help_as_written(home: Path) -> None:
    done = jisr(home, "--help")
    assert done.returncode == 0
    assert "at 100% scale" in done.stdout and "{'" not in done.stdout
