"""The case-notes section: a counsellor sees it, finds a person by typing, adds a counselling
note and a mediation note, corrects and deletes one; the list is newest first; missing fields
are shown beside them; receptionists, coordinators and admins never see the section; Arabic
lays it out right to left."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from jisr_desktop.context import Context
from jisr_desktop.services import accounts, case_notes, households, registry
from jisr_desktop.ui.screens.case_notes import CaseNotesScreen
from jisr_protocol import LIFE
from tests.ui.conftest import PASSWORD, choose, idle, sign_in, type_text


@pytest.fixture
def counsellor(system_ctx):  # type: ignore[no-untyped-def]
    return accounts.create_account(ctx=system_ctx, username="couns", display_name="Salma",
                                   role="counsellor", password=PASSWORD)


@pytest.fixture
def family(system_ctx):  # type: ignore[no-untyped-def]
    wife = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Khadija", "family_name_lat": "Amrani", "sex": "F",
        "given_name_ar": "خديجة", "family_name_ar": "العمراني"})
    husband = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Omar", "family_name_lat": "Amrani", "sex": "M"})
    home = households.create_household(ctx=system_ctx, head_person_id=husband.id, name="Amrani")
    households.add_member(ctx=system_ctx, household_id=home.id, person_id=wife.id,
                          relationship="spouse")
    return wife, husband, home


def _open(qtbot, shell_factory, clock, username: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    shell = shell_factory(lang)
    shell.session.clock = clock
    main = sign_in(qtbot, shell, username)
    return shell, main


def _find(qtbot, shell, screen: CaseNotesScreen, text: str, person_id: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.picker.query, text)
    assert screen.picker.model.person_id(0) == person_id
    with qtbot.waitSignal(screen.file_loaded, timeout=10_000):
        choose(qtbot, screen.picker)
    idle(qtbot, shell)


def test_counsellor_adds_corrects_and_deletes_notes(  # type: ignore[no-untyped-def]
        qtbot, qtmodeltester, shell_factory, counsellor, family, system_ctx, db, clock) -> None:
    wife, husband, home = family
    shell, main = _open(qtbot, shell_factory, clock, "couns")
    assert "case_notes" in main.section_keys()
    screen = main.show_section("case_notes")
    assert isinstance(screen, CaseNotesScreen)
    assert not screen.right.isEnabled()  # nothing to write before a person is chosen
    _find(qtbot, shell, screen, "Khadija", wife.id)
    assert screen.heading.text() == "Khadija Amrani" and screen.model.rowCount() == 0
    assert not screen.warning.isVisible()  # not enrolled: nothing for HQ to refuse

    # Saving an empty note shows what is missing beside the field, and writes nothing.
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.messages["note"].isVisible(), timeout=10_000)
    assert screen.messages["note"].text() == "Write the note."
    assert db.execute("SELECT count(*) FROM counselling_note").fetchone() == (0,)

    # A counselling note, typed in
    screen.topic.setCurrentIndex(screen.topic.findData("parenting"))
    qtbot.keyClicks(screen.note, "Talked about bedtime routines")
    screen.follow_up.setChecked(True)
    with qtbot.waitSignal(screen.saved, timeout=10_000) as saved:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    first = saved.args[0]
    assert (first.kind, first.topic, first.note, first.person_id) == (
        "counselling_note", "parenting", "Talked about bedtime routines", wife.id)
    assert first.counsellor_id == counsellor.id and first.follow_up_date == clock.current.date()
    assert screen.status.text() == "Saved." and screen.model.rowCount() == 1

    # A mediation note with both spouses, an earlier session
    qtbot.mouseClick(screen.new_mediation, Qt.MouseButton.LeftButton)
    assert screen.household.currentData() == home.id  # her only household
    assert screen.checked_parties() == [wife.id]
    for i in range(screen.parties.count()):
        screen.parties.item(i).setCheckState(Qt.CheckState.Checked)
    screen.session_date.setDate(screen.session_date.date().addDays(-3))
    screen.stage.setCurrentIndex(screen.stage.findData("session"))
    qtbot.keyClicks(screen.outcome, "Calmer")
    qtbot.keyClicks(screen.note, "First joint session")
    with qtbot.waitSignal(screen.saved, timeout=10_000) as saved:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    mediation = saved.args[0]
    assert set(mediation.parties) == {wife.id, husband.id}
    assert mediation.session_date == date(2026, 10, 30)
    # newest first, and checked as an item model
    assert [n.id for n in screen.model.rows] == [first.id, mediation.id]
    assert screen.model.data(screen.model.index(1, 1)) == "Mediation"
    assert screen.model.data(screen.model.index(0, 2)) == "Parenting"
    qtmodeltester.check(screen.model)

    # Correct the first note: choose it, retype, save
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    assert screen.note.toPlainText() == "Talked about bedtime routines"
    assert screen.delete_button.isEnabled()
    screen.note.clear()
    qtbot.keyClicks(screen.note, "Bedtime routines; follow up in two weeks")
    with qtbot.waitSignal(screen.saved, timeout=10_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert db.execute("SELECT count(*), max(note) FROM counselling_note").fetchone() == (
        1, "Bedtime routines; follow up in two weeks")

    # Delete the mediation note (the confirmation is answered yes by the fixture)
    screen.table.setCurrentIndex(screen.model.index(1, 0))
    with qtbot.waitSignal(screen.deleted, timeout=10_000):
        qtbot.mouseClick(screen.delete_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert [n.id for n in screen.model.rows] == [first.id]
    assert db.execute("SELECT deleted FROM mediation_note").fetchone() == (1,)

    # The husband's file shows nothing of hers.
    screen.picker.query.clear()
    _find(qtbot, shell, screen, "Omar", husband.id)
    assert screen.model.rowCount() == 0


@pytest.mark.parametrize("role", ["receptionist", "coordinator", "admin"])
def test_other_roles_do_not_see_the_section(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, system_ctx, clock, role) -> None:
    accounts.create_account(ctx=system_ctx, username=f"u-{role}", display_name=role, role=role,
                            password=PASSWORD)
    _shell, main = _open(qtbot, shell_factory, clock, f"u-{role}")
    assert "case_notes" not in main.section_keys()
    assert "case_notes" not in main.screens


def test_arabic_is_right_to_left_and_translated(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, counsellor, family, system_ctx, clock) -> None:
    wife, _husband, _home = family
    case_notes.save_counselling_note(
        ctx=Context(db=system_ctx.db, user=counsellor, clock=clock), person_id=wife.id,
        session_date=date(2026, 11, 1), topic="marital", note="ملاحظة سرية")
    shell, main = _open(qtbot, shell_factory, clock, "couns", lang="ar")
    screen = main.show_section("case_notes")
    assert isinstance(screen, CaseNotesScreen)
    assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert screen.session_date.layoutDirection() == Qt.LayoutDirection.LeftToRight
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        type_text(qtbot, screen.picker.query, "خديجة")
    assert screen.picker.model.person_id(0) == wife.id
    with qtbot.waitSignal(screen.file_loaded, timeout=10_000):
        choose(qtbot, screen.picker)
    idle(qtbot, shell)
    assert screen.heading.text() == "خديجة العمراني"
    assert screen.model.rowCount() == 1
    for text in (screen.title.text(), screen.save_button.text(),
                 screen.model.data(screen.model.index(0, 2)),
                 screen.model.headerData(0, Qt.Orientation.Horizontal)):
        assert text and not any("a" <= ch <= "z" for ch in text.lower()), text


def test_counsellor_settles_a_conflict_of_a_note(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, counsellor, family, system_ctx, db, clock) -> None:
    """A conflict row as the sync applier stores it (HQ kept another desktop's words): the
    note shows both versions and the counsellor takes the other one back."""
    wife, _husband, _home = family
    note = case_notes.save_counselling_note(
        ctx=Context(db=system_ctx.db, user=counsellor, clock=clock), person_id=wife.id,
        session_date=date(2026, 11, 1), topic="marital", note="Words kept at HQ")
    db.execute("INSERT INTO conflict(id, entity, entity_id, field, reason, winner_value,"
               " loser_value, received_at) VALUES ('c1', 'counselling_note', ?, 'note',"
               " 'concurrent_edit', ?, ?, '2026-11-02T09:00:00')",
               [note.id, json.dumps("Words kept at HQ"), json.dumps("My own words")])
    shell, main = _open(qtbot, shell_factory, clock, "couns")
    screen = main.show_section("case_notes")
    _find(qtbot, shell, screen, "Khadija", wife.id)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    assert screen.conflict_box.isVisible()
    assert "My own words" in screen.conflict_text.text()
    assert "Note" in screen.conflict_text.text()
    with qtbot.waitSignal(screen.file_loaded, timeout=10_000):
        qtbot.mouseClick(screen.other_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert screen.note.toPlainText() == "My own words"
    assert not screen.conflict_box.isVisible()
    assert screen.status.text() == "Conflict resolved."
    assert db.execute("SELECT resolved_locally FROM conflict WHERE id = 'c1'").fetchone() == (
        "keep_loser",)
    assert db.execute("SELECT user_id FROM outbox WHERE entity = 'conflict_resolution'"
                      ).fetchone() == (counsellor.id,)


def test_a_pull_while_a_note_is_typed_keeps_what_is_typed(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, counsellor, family, system_ctx, clock) -> None:
    """A sync pulls rows (`Session.data_changed("pull")`) while the counsellor writes: the
    list of notes is read again, the words being written stay in the form."""
    wife, _husband, _home = family
    other_desk = Context(db=system_ctx.db, user=counsellor, clock=clock)
    kept = case_notes.save_counselling_note(ctx=other_desk, person_id=wife.id,
                                            session_date=date(2026, 10, 20), topic="marital",
                                            note="First words")
    shell, main = _open(qtbot, shell_factory, clock, "couns")
    screen = main.show_section("case_notes")
    _find(qtbot, shell, screen, "Khadija", wife.id)
    session = shell.session

    def pull() -> None:
        with qtbot.waitSignal(screen.file_loaded, timeout=10_000):
            session.data_changed.emit(session.PULL, None)
        idle(qtbot, shell)

    # a new note half written
    qtbot.keyClicks(screen.note, "Half a sentence")
    case_notes.save_counselling_note(ctx=other_desk, person_id=wife.id,
                                     session_date=date(2026, 10, 25), topic="marital",
                                     note="Pulled from HQ")
    pull()
    assert screen.model.rowCount() == 2  # the pulled note is listed
    assert screen.note.toPlainText() == "Half a sentence" and screen.editing is None

    # a correction of a note half written
    row = [n.id for n in screen.model.rows].index(kept.id)
    screen.table.setCurrentIndex(screen.model.index(row, 0))
    assert screen.note.toPlainText() == "First words"
    screen.note.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.note, ", and more")
    pull()
    assert screen.note.toPlainText() == "First words, and more"
    assert screen.editing is not None and screen.editing.id == kept.id
    assert screen.table.currentIndex().row() == row
    with qtbot.waitSignal(screen.saved, timeout=10_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert case_notes.get_note(ctx=other_desk, kind=kept.kind, note_id=kept.id).note == "First words, and more"

    # nothing typed: a pulled correction of the shown note is shown
    case_notes.save_counselling_note(ctx=other_desk, person_id=wife.id, note_id=kept.id,
                                     session_date=date(2026, 10, 20), topic="marital",
                                     note="Corrected on the other desktop")
    pull()
    assert screen.note.toPlainText() == "Corrected on the other desktop"


def test_a_conflict_about_deleting_a_note_is_named(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, counsellor, family, system_ctx, db, clock) -> None:
    """The life field (`jisr_protocol.LIFE`) of a conflict reads "Deleted", not its name."""
    wife, _husband, _home = family
    note = case_notes.save_counselling_note(
        ctx=Context(db=system_ctx.db, user=counsellor, clock=clock), person_id=wife.id,
        session_date=date(2026, 11, 1), topic="marital", note="Still here")
    db.execute("INSERT INTO conflict(id, entity, entity_id, field, reason, winner_value,"
               " loser_value, received_at) VALUES ('c2', 'counselling_note', ?, ?,"
               " 'concurrent_edit', 'false', 'true', '2026-11-02T09:00:00')", [note.id, LIFE])
    shell, main = _open(qtbot, shell_factory, clock, "couns")
    screen = main.show_section("case_notes")
    _find(qtbot, shell, screen, "Khadija", wife.id)
    screen.table.setCurrentIndex(screen.model.index(0, 0))
    assert screen.conflict_box.isVisible()
    assert "“Deleted” was: Yes" in screen.conflict_text.text()
