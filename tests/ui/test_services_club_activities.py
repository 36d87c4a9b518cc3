"""Club activities driven by keyboard and mouse: a coordinator creates a medical awareness
session, reception adds the members who came, a coordinator removes one added by mistake
(with a reason, as a correction event); the section sits beside the club's day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from jisr_desktop.services import club, registry
from jisr_desktop.ui.screens.club_activities import ActivityDialog, ClubActivitiesScreen
from tests.ui.conftest import choose, idle, sign_in


def _shell(shell_factory, clock):  # type: ignore[no-untyped-def]
    shell = shell_factory()
    shell.session.clock = clock
    return shell


def _open(qtbot, shell, main) -> ClubActivitiesScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("club_activities")
    assert isinstance(screen, ClubActivitiesScreen)
    idle(qtbot, shell)
    return screen


def _member(system_ctx, coord_ctx, given: str):  # type: ignore[no-untyped-def]
    p = registry.register_person(ctx=system_ctx, data={"given_name_lat": given, "family_name_lat": "Idrissi",
                                                      "sex": "F", "birth_date": date(1950, 3, 1)})
    club.enroll_member(ctx=coord_ctx, person_id=p.id, emergency_name="Son", emergency_phone="0612345678")
    return p


def _add(qtbot, screen: ClubActivitiesScreen, name: str, person_id: str) -> None:  # type: ignore[no-untyped-def]
    screen.picker.query.clear()
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.picker.query, name)
    choose(qtbot, screen.picker)
    assert screen.picker.current_id() == person_id
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000):
        qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)


def test_coordinator_creates_an_activity_and_participants_are_added(  # type: ignore[no-untyped-def]
        qtbot, qtmodeltester, shell_factory, coordinator, system_ctx, coord_ctx, db, clock) -> None:
    fatima, zohra = (_member(system_ctx, coord_ctx, n) for n in ("Fatima", "Zohra"))
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    keys = [s.key for s in main.sections]
    assert keys.index("club_activities") == keys.index("elderly") + 1
    screen = _open(qtbot, shell, main)
    assert screen.new_button.isVisible() and not screen.add_button.isEnabled()
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, ActivityDialog)
    # Without a title the dialog says so beside the field.
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.messages["title"].isVisible(), timeout=10_000)
    assert dialog.messages["title"].text() == "Enter the title."
    dialog.kind.setCurrentIndex(dialog.kind.findData("medical_awareness"))
    qtbot.keyClicks(dialog.title_edit, "Diabetes and diet")
    qtbot.keyClicks(dialog.place, "Club hall")
    qtbot.keyClicks(dialog.partner, "Health centre")
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000), \
            qtbot.waitSignal(dialog.created, timeout=10_000):
        qtbot.keyClick(dialog.save, Qt.Key.Key_Space)
    idle(qtbot, shell)
    assert screen.list_model.rowCount() == 1
    assert screen.list_model.data(screen.list_model.index(0, 1)) == "Medical awareness session"
    assert "Diabetes and diet" in screen.heading.text()
    _add(qtbot, screen, "Fatima", fatima.id)
    _add(qtbot, screen, "Zohra", zohra.id)
    _add(qtbot, screen, "Zohra", zohra.id)  # twice: still one participant
    idle(qtbot, shell)
    assert screen.participants.rowCount() == 2 and screen.count.text() == "2 participants"
    assert screen.participants.data(screen.participants.index(0, 2)) == str(fatima.age_on(clock.current.date()))
    activity = db.execute("SELECT id, kind, title, place, partner FROM club_activity").fetchone()
    assert activity[1:] == ("medical_awareness", "Diabetes and diet", "Club hall", "Health centre")
    assert db.execute("SELECT count(*) FROM attendance WHERE context = 'club_activity' AND session_id = ?",
                      [activity[0]]).fetchone()[0] == 2
    assert screen.list_model.data(screen.list_model.index(0, 5)) == "2"
    # Zohra was added by mistake: removed with a reason, as a correction event.
    screen.participants_table.selectRow(1)
    qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.messages["reason"].isVisible(), timeout=10_000)
    qtbot.keyClicks(screen.reason, "she stayed home")
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000):
        qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert [p.person.id for p in screen.participants.rows] == [fatima.id]
    assert club.get_activity(ctx=coord_ctx, activity_id=activity[0]).participant_ids == [fatima.id]
    assert db.execute("SELECT kind, reason, recorded_by FROM event_correction").fetchall() == [
        ("void", "she stayed home", coordinator.id)]
    assert db.execute("SELECT count(*) FROM attendance").fetchone()[0] == 2  # nothing deleted
    qtmodeltester.check(screen.list_model)
    qtmodeltester.check(screen.participants)


def test_reception_adds_participants_but_neither_creates_nor_removes(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, receptionist, system_ctx, coord_ctx, db, clock) -> None:
    amina = _member(system_ctx, coord_ctx, "Amina")
    outing = club.create_activity(ctx=coord_ctx, kind="outing", title="Botanical garden", day=clock.current.date())
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _open(qtbot, shell, main)
    assert not screen.new_button.isVisible() and not screen.remove_button.isVisible()
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000):
        assert screen.select_activity(outing.id)
    _add(qtbot, screen, "Amina", amina.id)
    assert club.get_activity(ctx=coord_ctx, activity_id=outing.id).participant_ids == [amina.id]
    assert db.execute("SELECT recorded_by FROM attendance").fetchone()[0] != coord_ctx.user.id
