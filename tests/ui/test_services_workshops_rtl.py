"""In Arabic (right to left) marking a session's attendance moves on to the next participant
after each mark, as in French and English: three clicks mark three people."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from jisr_desktop.services import registry, workshops
from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.screens.workshops import WorkshopsScreen
from tests.ui.conftest import idle, sign_in


def test_marks_move_to_the_next_participant_in_arabic(qtbot, shell_factory, receptionist, system_ctx,  # type: ignore[no-untyped-def]
                                                      coord_ctx, db, clock) -> None:
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "digital_skills", "title": "Smartphone",
                                                     "trainer": "M. Berrada", "capacity": 5})
    s = workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=clock.current,
                              ends_at=clock.current + timedelta(hours=2))
    people = [registry.register_person(ctx=system_ctx, data={"given_name_lat": n, "family_name_lat": "Chraibi"})
              for n in ("Asmae", "Badr", "Chama")]
    for p in people:
        workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=p.id)
    shell = shell_factory()
    shell.session.clock = clock
    main = sign_in(qtbot, shell, "recep")
    apply_language("ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    screen = main.show_section("workshops")
    assert isinstance(screen, WorkshopsScreen)
    qtbot.waitUntil(lambda: screen.list_model.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        screen.select_workshop(w.id)
    first = screen.sheet_table.visualRect(screen.sheet_model.index(0, 0)).center()
    qtbot.mouseClick(screen.sheet_table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    for expected_next in (1, 2):
        with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
            qtbot.mouseClick(screen.mark_buttons["present"], Qt.MouseButton.LeftButton)
        assert screen.sheet_table.currentIndex().row() == expected_next
    with qtbot.waitSignal(screen.sheet_loaded, timeout=10_000):
        qtbot.mouseClick(screen.mark_buttons["present"], Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    assert db.execute("SELECT count(*) FROM attendance WHERE session_id = ? AND status = 'present'",
                      [s.id]).fetchone()[0] == 3
