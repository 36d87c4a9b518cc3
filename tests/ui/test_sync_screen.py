"""The Sync section against a real HQ subprocess: enroll, sync now, the status-bar indicator
turns ok, a conflict made by a second real desktop is shown and resolved (keep the other
value), and the resolution reaches HQ; the conflict list in Arabic and French (translated
entity, field and reason, readable values); enrolling again after HQ revoked the desktop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.context import Context, User
from jisr_desktop.db.connection import open_database
from jisr_desktop.i18n import format_date, translate
from jisr_desktop.services import registry
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync import labels
from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.screens.sync import SyncScreen
from jisr_desktop.ui.style import tone_of
from tests.hq.conftest import _server
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, hq_content
from tests.ui.conftest import idle, sign_in

LTR_MARKS = "\u2066\u2069"


@pytest.fixture(scope="module")
def hq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    yield from _server("sqlite", request)


def _wait_sync(qtbot, shell, screen) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not screen.agent.busy, timeout=30_000)
    idle(qtbot, shell)


def test_enroll_sync_and_resolve_a_conflict(qtbot, shell_factory, coordinator, hq: HqServer,  # type: ignore[no-untyped-def]
                                            home: Path, tmp_path: Path) -> None:
    _code, codes = hq.new_center(codes=2)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    assert screen.enroll_box.isVisible() and not screen.state_box.isVisible()

    qtbot.keyClicks(screen.server_edit, hq.base_url)
    qtbot.keyClicks(screen.code_edit, codes[0])
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is None
    assert main.sync_label.text() == "Sync: up to date"
    assert tone_of(main.sync_label) == "ok"  # the ok colour
    assert screen.state_box.isVisible() and not screen.enroll_box.isVisible()
    assert screen.server_label.text() == hq.base_url
    assert screen.last_label.text() != "never" and screen.pending_label.text() == "0"

    # a second desktop of the center registers Amina; this one pulls her with "sync now"
    other = Desk.create(tmp_path / "other", "other", local_center=False)
    try:
        other.enroll(hq, codes[1])
        amina = registry.register_person(ctx=other.ctx(), data={
            "given_name_lat": "Amina", "family_name_lat": "Alaoui"})
        other.sync()
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        _wait_sync(qtbot, shell, screen)
        # both edit her phone while apart: the other desktop syncs first
        db = open_database(home)
        try:
            registry.update_person(ctx=Context(db=db, user=coordinator), person_id=amina.id,
                                   data={"phone": "0611111111"})
        finally:
            db.close()
        registry.update_person(ctx=other.ctx(), person_id=amina.id, data={"phone": "0622222222"})
        other.sync()
        screen.refresh()
        idle(qtbot, shell)
        assert screen.pending_label.text() == "1"
        qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
        _wait_sync(qtbot, shell, screen)
        assert main.sync_label.text() == "Sync: done; 1 conflict to review"
        assert screen.table.rowCount() == 1
        cells = [screen.table.item(0, j) for j in range(5)]
        label, field, kept, lost, why = (c.text() if c is not None else "" for c in cells)
        assert label.startswith("Person: Amina") and field == "Phone"
        assert {kept.strip(LTR_MARKS), lost.strip(LTR_MARKS)} == {"06 11 11 11 11", "06 22 22 22 22"}
        assert why == "Changed on two desktops at the same time"
        phones = {"06 11 11 11 11": "+212611111111", "06 22 22 22 22": "+212622222222"}
        lost = phones[lost.strip(LTR_MARKS)]

        qtbot.mouseClick(screen.keep_loser, Qt.MouseButton.LeftButton)
        _wait_sync(qtbot, shell, screen)
        qtbot.waitUntil(lambda: screen.table.rowCount() == 0, timeout=10_000)
        assert main.sync_label.text() == "Sync: up to date"
        other.sync()
        assert other.db.execute("SELECT phone FROM person WHERE id = ?",
                                [amina.id]).fetchone()[0] == lost
        (conflict,) = other.conflicts().values()
        assert conflict[-1] == "keep_loser" and json.loads(conflict[5]) == lost
        assert sync_client.open_conflicts(other.db) == []
    finally:
        other.close()


def _conflicts_on_home(home: Path, coordinator: User, hq: HqServer, other: Desk) -> str:
    """Enroll the program's database and `other` with HQ; both change Amina's phone and birth
    date while apart, `other` first: the program's database holds two conflicts from HQ."""
    _code, codes = hq.new_center(codes=2)
    db = open_database(home)
    try:
        client = sync_client.SyncClient(db, user=coordinator)
        client.enroll(hq.base_url, codes[0])
        other.enroll(hq, codes[1])
        amina = registry.register_person(ctx=other.ctx(), data={
            "given_name_lat": "Amina", "family_name_lat": "Alaoui", "given_name_ar": "أمينة",
            "birth_date": "2015-03-04"}).id
        other.sync()
        client.sync()
        registry.update_person(ctx=Context(db=db, user=coordinator), person_id=amina,
                               data={"phone": "0611111111", "birth_date": "2015-04-05"})
        registry.update_person(ctx=other.ctx(), person_id=amina,
                               data={"phone": "0622222222", "birth_date": "2016-05-06"})
        other.sync()
        report = client.sync()
        assert report.open_conflicts == 2
    finally:
        db.close()
    return amina


@pytest.mark.parametrize(("lang", "words"), [
    ("ar", {"Person": "الشخص", "Phone": "الهاتف", "Birth date": "تاريخ الازدياد",
            "Field": "الحقل", "Value kept": "القيمة المعتمدة"}),
    ("fr", {"Person": "Personne", "Phone": "Téléphone", "Birth date": "Date de naissance",
            "Field": "Champ", "Value kept": "Valeur retenue"}),
])
def test_conflicts_are_listed_in_the_users_language(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, hq: HqServer, home: Path, tmp_path: Path,
        lang: str, words: dict[str, str]) -> None:
    other = Desk.create(tmp_path / "other", "other", local_center=False)
    try:
        _conflicts_on_home(home, coordinator, hq, other)
    finally:
        other.close()
    shell = shell_factory(lang)
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    assert screen.table.rowCount() == 2
    headers = [screen.table.horizontalHeaderItem(j).text() for j in range(5)]
    assert headers[1] == words["Field"] and headers[2] == words["Value kept"]
    assert headers[4] == translate("Why", lang) != "Why"
    rows = {}
    for i in range(2):
        cells = [screen.table.item(i, j).text() for j in range(5)]  # type: ignore[union-attr]
        rows[cells[1]] = cells
    assert set(rows) == {words["Phone"], words["Birth date"]}  # never "phone", "birth_date"
    reason = translate(labels.REASON_LABELS["concurrent_edit"], lang)
    assert reason != labels.REASON_LABELS["concurrent_edit"]
    for cells in rows.values():
        record, why = cells[0], cells[4]
        assert record.startswith(words["Person"]) and "Amina" in record and "أمينة" in record
        assert why == reason
    phone = rows[words["Phone"]]
    assert {phone[2].strip(LTR_MARKS), phone[3].strip(LTR_MARKS)} == {
        "06 11 11 11 11", "06 22 22 22 22"}
    born = rows[words["Birth date"]]
    shown = {format_date(date(2015, 4, 5), lang), format_date(date(2016, 5, 6), lang)}
    assert {born[2], born[3]} == shown
    assert not any("2015-04-05" in c or "2016-05-06" in c for c in born)
    # the raw column name stays available for support, as a tooltip
    assert screen.table.item(0, 1).toolTip() in {"phone", "birth_date"}  # type: ignore[union-attr]

    # switching the language re-labels the list
    apply_language("en")
    screen.retranslate()
    texts = {screen.table.item(i, 1).text() for i in range(2)}  # type: ignore[union-attr]
    assert texts == {"Phone", "Birth date"}


def test_unknown_fields_and_values_fall_back_to_raw_names() -> None:
    assert labels.field_label("shoe_size", "fr") == "shoe_size"
    assert labels.entity_label("spaceship", "ar") == "spaceship"
    assert labels.reason_label("cosmic_ray", "fr") == "cosmic_ray"
    assert labels.field_label("_deleted", "fr") == translate("Deleted", "fr") != "Deleted"
    assert labels.value_text("_deleted", "true", "fr") == translate("Yes", "fr")
    assert labels.value_text("sex", '"F"', "ar") == translate("Female", "ar")
    assert labels.value_text("service", '"nursery"', "fr") == translate("Nursery", "fr")
    assert labels.value_text("relationship", '"spouse"', "fr") == translate("Spouse", "fr")
    assert labels.value_text("shoe_size", "42", "fr") == "42"
    assert labels.value_text("phone", '"not a phone"', "fr") == "not a phone"
    assert labels.value_text("birth_date", '"someday"', "fr") == "someday"
    assert labels.value_text("person_id", '"p1"', "fr", persons={"p1": "Amina Alaoui"}) == "Amina Alaoui"
    assert labels.value_text("notes", "null", "fr") == ""


def test_enroll_again_after_hq_revoked_this_desktop(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, hq: HqServer, home: Path) -> None:
    center_code, codes = hq.new_center(codes=1)
    _other_center, other_codes = hq.new_center(codes=1)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    qtbot.keyClicks(screen.server_edit, hq.base_url)
    qtbot.keyClicks(screen.code_edit, codes[0])
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is None and not screen.enroll_box.isVisible()

    db = open_database(home)
    try:
        amina = registry.register_person(ctx=Context(db=db, user=coordinator), data={
            "given_name_lat": "Amina", "family_name_lat": "Pending"}).id
        old_device = sync_client.state(db).device_id
    finally:
        db.close()
    hq.cli("revoke-device", old_device)
    qtbot.mouseClick(screen.sync_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is not None
    assert screen.agent.last_failure.code == "device_revoked"
    assert main.sync_label.text() == "Sync: failed"
    assert "revoked" in screen.error_label.text()
    # the screen offers to enroll again, HQ's address already filled in
    assert screen.enroll_box.isVisible() and screen.reenroll_note.isVisible()
    assert screen.enroll_button.text() == "Enroll again"
    assert screen.server_edit.text() == hq.base_url
    assert screen.pending_label.text() == "1"

    # a code of another center: refused in plain words, nothing changed
    qtbot.keyClicks(screen.code_edit, other_codes[0])
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is not None
    assert screen.agent.last_failure.code == "wrong_center"
    assert "Nothing was changed" in screen.error_label.text()
    assert screen.enroll_box.isVisible()  # still offered: the desktop is still revoked
    db = open_database(home)
    try:
        st = sync_client.state(db)
        assert st.device_id == old_device and st.last_error_code == "device_revoked"
    finally:
        db.close()

    code = hq.cli("enrollment-code", "--center", center_code).stdout.split()[0]
    screen.code_edit.clear()
    qtbot.keyClicks(screen.code_edit, code)
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is None
    assert main.sync_label.text() == "Sync: up to date"
    assert not screen.enroll_box.isVisible() and screen.pending_label.text() == "0"
    db = open_database(home)
    try:
        assert sync_client.state(db).device_id != old_device
    finally:
        db.close()
    assert hq_content(hq)[("person", amina)][0]["family_name_lat"] == "Pending"


def test_case_note_conflicts_are_not_listed_here(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, db) -> None:
    """A case note's conflict holds confidential words: counsellors settle it in Case notes."""
    for cid, entity, field, words in (("c1", "counselling_note", "note", "Confidential words"),
                                      ("c2", "person", "phone", "+212611111111")):
        db.execute("INSERT INTO conflict(id, entity, entity_id, field, reason, winner_value,"
                   " loser_value, received_at) VALUES (?, ?, ?, ?, 'concurrent_edit', ?, ?,"
                   " '2026-11-02T09:00:00')",
                   [cid, entity, "0190a1b2-0000-7000-8000-000000000001", field,
                    json.dumps(words), json.dumps(words)])
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    assert screen.table.rowCount() == 1
    assert screen.table.item(0, 1).text() == "Phone"  # type: ignore[union-attr]
    shown = [screen.table.item(0, j).text() for j in range(5)]  # type: ignore[union-attr]
    assert not any("Confidential" in text for text in shown)
    # nor counted in the status bar's "conflicts to review"
    assert [c["id"] for c in sync_client.open_conflicts(db)] == ["c2"]


def test_guidance_without_hq_and_a_failed_enrollment_on_the_page(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, hq: HqServer) -> None:
    # Issue 13 (point 7): no word on what to do before an HQ is set; a failed enrollment
    # showed nothing on the page (its error went to the hidden State box).
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    screen = main.show_section("sync")
    idle(qtbot, shell)
    assert screen.guide.isVisible() and "enrollment code" in screen.guide.text()
    assert not screen.enroll_error.isVisible()
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    assert screen.enroll_error.isVisible()
    assert screen.enroll_error.text() == "Enter HQ's address and the enrollment code."
    assert tone_of(screen.enroll_error) == "error"
    qtbot.keyClicks(screen.server_edit, hq.base_url)
    qtbot.keyClicks(screen.code_edit, "WRONG-CODE-0000")
    qtbot.mouseClick(screen.enroll_button, Qt.MouseButton.LeftButton)
    _wait_sync(qtbot, shell, screen)
    assert screen.agent.last_failure is not None
    assert screen.enroll_box.isVisible() and not screen.state_box.isVisible()
    assert screen.enroll_error.isVisible() and screen.enroll_error.text()
    assert "Traceback" not in screen.enroll_error.text()
    # French too, once the language is switched.
    apply_language("fr")
    idle(qtbot, shell)
    assert "code d’inscription" in screen.guide.text() or "code d'inscription" in screen.guide.text()
    apply_language("en")
