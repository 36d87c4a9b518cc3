"""The right of access (issue 17, point 4): `jisr person-export PERSON` run as a real subprocess
on a real database writes a readable PDF (parsed back) and a JSON file of everything held about
the person, with the history of her corrections; sealed counselling content is only in a
counsellor's export (the others say it exists); every export is in the audit log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdf
import pytest

from jisr_desktop.context import Context
from jisr_desktop.domain.consent import Purpose
from jisr_desktop.i18n import translate
from jisr_desktop.reports.person_export import SEALED_WITHHELD
from jisr_desktop.services import access, accounts, case_notes, club, consent, registry, visits

SECRET = "She fears her husband's brother"
PASSWORD = "correct horse\n"


def jisr(home: Path, *args: str, stdin: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang",
                           "en", *args], capture_output=True, text=True, env=env, timeout=180,
                          input=stdin)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)


@pytest.fixture
def amina(system_ctx: Context, ctx: Context, coord_ctx: Context, clock):  # type: ignore[no-untyped-def]
    person = registry.register_person(ctx=ctx, data={
        "given_name_ar": "أمينة", "family_name_ar": "العلوي", "given_name_lat": "Amina",
        "family_name_lat": "Alaoui", "birth_date": date(1950, 5, 1), "phone": "0611223344"})
    clock.advance(days=2)
    registry.update_person(ctx=ctx, person_id=person.id, data={"phone": "0699887766"})
    club.enroll_member(ctx=coord_ctx, person_id=person.id)
    visits.log_visit(ctx=ctx, data={"person_id": person.id, "program_code": "rsu",
                                    "channel": "in_person", "outcome": "helped",
                                    "notes": "asked about RSU"})
    consent.give(ctx=ctx, person_id=person.id, purpose=Purpose.PHOTOS)
    counsellor = accounts.create_account(ctx=system_ctx, username="couns", display_name="Couns",
                                         role="counsellor", password="correct horse")
    couns_ctx = Context(db=ctx.db, user=counsellor, clock=clock)
    case_notes.save_counselling_note(ctx=couns_ctx, person_id=person.id,
                                     session_date=date(2026, 11, 3), topic="marital",
                                     note=SECRET)
    registry.register_person(ctx=ctx, data={"given_name_lat": "Other", "family_name_lat": "One",
                                            "phone": "0655555555"})
    return registry.get_person(ctx=ctx, person_id=person.id)


def test_a_coordinator_exports_everything_but_sealed_content(home: Path, amina, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "amina.pdf"
    done = jisr(home, "person-export", amina.file_no, "--user", "coord", "--lang", "fr",
                "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 sealed counselling entries exist" in done.stdout
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert data["person_id"] == amina.id
    [person] = data["sections"]["person"]
    assert (person["given_name_ar"], person["phone"]) == ("أمينة", amina.phone)
    assert [e["service"] for e in data["sections"]["enrollment"]] == ["club"]
    assert [v["notes"] for v in data["sections"]["visit"]] == ["asked about RSU"]
    assert [c["purpose"] for c in data["sections"]["consent"]] == ["photos"]
    assert data["sealed"] == {"included": False, "counts": {
        "counselling_note": 1, "mediation_note": 0, "followup_sealed": 0}}
    assert "counselling_note" not in data["sections"]
    # the correction of her phone keeps its history: old and new values
    [change] = [e for e in data["audit"] if e["action"] == "update_person"]
    assert change["changes"]["phone"][1] == amina.phone
    assert change["changes"]["phone"][0] != amina.phone
    raw = out.with_suffix(".json").read_text(encoding="utf-8") + pdf_text(out)
    assert SECRET not in raw and "0655555555" not in raw  # nobody else's data
    text = pdf_text(out)
    assert "Amina Alaoui" in text and "asked about RSU" in text
    assert " ".join(translate(SEALED_WITHHELD, "fr", count=1).split()) in text
    entries = ctx.db.execute("SELECT user_id, changes FROM audit_log WHERE action ="
                             " 'person_export' AND entity_id = ?", [amina.id]).fetchall()
    assert len(entries) == 1
    assert json.loads(entries[0][1])["sealed_included"] == [None, False]


def test_a_counsellor_export_holds_the_sealed_notes_and_defaults_to_her_language(home: Path, amina, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "amina.pdf"
    done = jisr(home, "person-export", amina.id, "--user", "couns", "-o", str(out),
                "--json", str(tmp_path / "whole.json"))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "whole.json").read_text(encoding="utf-8"))
    assert data["sealed"]["included"] is True
    assert [n["note"] for n in data["sections"]["counselling_note"]] == [SECRET]
    [entry] = ctx.db.execute("SELECT changes FROM audit_log WHERE action = 'person_export'"
                             ).fetchall()
    assert json.loads(entry[0])["lang"] == [None, "ar"]  # her name is written in Arabic
    assert len(pypdf.PdfReader(out).pages) >= 1


def test_a_receptionist_exports_nothing(home: Path, amina, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "amina.pdf"
    done = jisr(home, "person-export", amina.id, "--user", "recep", "-o", str(out))
    assert done.returncode == 2 and "Nothing was exported" in done.stderr
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_the_service_refuses_a_receptionist(ctx, amina, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop import errors

    with pytest.raises(errors.PermissionDenied):
        access.export_person(ctx=ctx, person_id=amina.id, pdf=tmp_path / "a.pdf",
                             json_file=tmp_path / "a.json")


def test_an_unknown_person_is_named_and_nothing_is_written(coord_ctx, amina, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop import errors

    with pytest.raises(errors.NotFound) as err:
        access.export_person(ctx=coord_ctx, person_id="NOPE-1", pdf=tmp_path / "a.pdf",
                             json_file=tmp_path / "a.json")
    assert "NOPE-1" in err.value.message()
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "a.json").exists()
