"""Issue 13, point 3: the "Today" home is the first section after sign-in; it lists who is
here, who is expected, the alerts to acknowledge and the follow-ups due, says the sync state in
plain words, shows clear empty states, opens each line where it is handled (Enter or a double
click) and follows the data-changed signal."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from jisr_desktop.i18n import translate
from jisr_desktop.services import club, followup, nursery, registry
from tests.ui.conftest import idle, sign_in

TODAY = date(2026, 11, 2)


def _person(ctx, given: str, family: str, birth_date: date | None = None):  # type: ignore[no-untyped-def]
    data = {"given_name_lat": given, "family_name_lat": family}
    if birth_date is not None:
        data["birth_date"] = birth_date.isoformat()
    return registry.register_person(ctx=ctx, data=data)


def _texts(panel) -> list[list[str]]:  # type: ignore[no-untyped-def]
    model = panel.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_first_after_sign_in_with_clear_empty_states(qtbot, shell_factory, receptionist, clock) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(clock=clock)
    main = sign_in(qtbot, shell, "recep")
    assert main.section_keys()[0] == "today"
    idle(qtbot, shell)
    home = main.current_screen()
    assert home is main.screens["today"]
    assert home.title.text() == "Today, 02/11/2026"
    for panel, words in ((home.here, "Nobody is here yet."), (home.expected, "Nobody else is expected today."),
                         (home.alerts, "No alert to acknowledge."),
                         (home.followups, "No follow-up is due today.")):
        assert panel.stack.currentWidget() is panel.empty and panel.empty.text() == words
    assert "not connected to HQ yet" in home.sync_text.text()
    assert not home.ack_button.isEnabled() and not home.record_button.isEnabled()


def test_each_line_is_actionable_and_follows_changes(qtbot, shell_factory, receptionist, ctx,  # type: ignore[no-untyped-def]
                                                     coord_ctx, clock) -> None:
    lina = _person(ctx, "Lina", "Idrissi", date(2025, 3, 10))
    sami = _person(ctx, "Sami", "Bennani", date(2025, 3, 10))
    nursery.enroll_child(ctx=coord_ctx, child_id=lina.id, allergies="peanuts")
    nursery.enroll_child(ctx=coord_ctx, child_id=sami.id)
    nursery.check_in_child(ctx=ctx, child_id=lina.id)
    hadda = _person(ctx, "Hadda", "Alami", date(1950, 1, 1))
    club.enroll_member(ctx=coord_ctx, person_id=hadda.id)
    amina = _person(ctx, "Amina", "Alaoui")
    followup.refer(ctx=ctx, person_id=amina.id, body="ANAPEC", due_on=TODAY)
    shell = shell_factory(clock=clock)
    main = sign_in(qtbot, shell, "recep")
    main.resize(1366, 768)
    main.show()
    idle(qtbot, shell)
    home = main.screens["today"]
    assert [row[0] for row in _texts(home.here)] == ["Lina Idrissi"]
    assert _texts(home.here)[0][1:3] == [f"\u2066{lina.file_no}\u2069", "Nursery"]
    assert [(row[0], row[2]) for row in _texts(home.expected)] == [("Sami Bennani", "Nursery"),
                                                                   ("Hadda Alami", "Elderly club")]
    assert _texts(home.alerts) == [["Lina Idrissi", f"\u2066{lina.file_no}\u2069", "Nursery",
                                    "Allergy: peanuts"]]
    assert home.alerts.heading.text() == "Alerts to acknowledge: 1"
    assert [row[0] for row in _texts(home.followups)] == ["Amina Alaoui"]
    assert home.here.detail.text() == "Nursery 1 · Elderly club 0 · Workshops 0"
    assert "waiting to be sent" not in home.sync_text.text()  # not enrolled: nothing is sent

    # the alert, acknowledged from the home: the button names the child
    home.alerts.table.setFocus()
    qtbot.keyClick(home.alerts.table, Qt.Key.Key_Down)
    assert home.ack_button.isEnabled()
    assert home.ack_button.text() == f"I have read the alerts of \u2068Lina Idrissi\u2069 (\u2068{lina.file_no}\u2069)"
    with qtbot.waitSignal(home.loaded, timeout=10_000):
        qtbot.mouseClick(home.ack_button, Qt.MouseButton.LeftButton)
    assert home.alerts.stack.currentWidget() is home.alerts.empty

    # a check-in made elsewhere (a data change) is read again while the home shows
    with qtbot.waitSignal(home.loaded, timeout=10_000):
        shell.session.call(lambda c: nursery.check_in_child(ctx=c, child_id=sami.id))
    assert [row[0] for row in _texts(home.here)] == ["Lina Idrissi", "Sami Bennani"]
    assert [row[0] for row in _texts(home.expected)] == ["Hadda Alami"]

    # Enter on a follow-up opens the person's follow-up
    home.followups.table.setFocus()
    qtbot.keyClick(home.followups.table, Qt.Key.Key_Down)
    assert home.record_button.text() == f"Open the record of \u2068Amina Alaoui\u2069 (\u2068{amina.file_no}\u2069)"
    qtbot.keyClick(home.followups.table, Qt.Key.Key_Return)
    screen = main.current_screen()
    assert screen is main.screens["followup"]
    qtbot.waitUntil(lambda: screen.person is not None and screen.person.id == amina.id, timeout=10_000)

    # back home: a double click on the expected member opens the elderly club
    main.show_section("today")
    idle(qtbot, shell)
    table = home.expected.table
    rect = table.visualRect(home.expected.model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main.current_screen() is main.screens["elderly"]

    # "Open the record" opens the chosen person in People
    main.show_section("today")
    idle(qtbot, shell)
    assert home.record_button.text() == f"Open the record of \u2068Hadda Alami\u2069 (\u2068{hadda.file_no}\u2069)"
    people = main.screens.get("people")
    qtbot.mouseClick(home.record_button, Qt.MouseButton.LeftButton)
    people = main.screens["people"]
    assert main.current_screen() is people
    qtbot.waitUntil(lambda: people.panel is not None and getattr(people.panel, "person", None) is not None
                    and people.panel.person.id == hadda.id, timeout=10_000)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_home_speaks_french_and_arabic(qtbot, shell_factory, receptionist, ctx, clock,  # type: ignore[no-untyped-def]
                                           lang: str) -> None:
    amina = _person(ctx, "Amina", "Alaoui")
    followup.refer(ctx=ctx, person_id=amina.id, body="ANAPEC", due_on=TODAY)
    clock.advance(days=1)
    shell = shell_factory(lang=lang, clock=clock)
    main = sign_in(qtbot, shell, "recep")
    idle(qtbot, shell)
    home = main.screens["today"]
    assert main.nav.item(0).text() == translate("Today", lang) != "Today"
    assert home.title.text() == translate("Today, {date}", lang, date="03/11/2026")
    assert home.here.empty.text() == translate("Nobody is here yet.", lang) != "Nobody is here yet."
    due = home.followups.model.index(0, 3).data()
    assert due == translate("{date}, overdue", lang, date="\u206602/11/2026\u2069") != "02/11/2026, overdue"
    assert home.followups.detail.text() == translate("Overdue: {n}", lang, n="1") != "Overdue: 1"


def test_the_sync_state_in_plain_words(qtbot, shell_factory, receptionist, ctx, clock, home) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from jisr_desktop.settings import Settings
    from jisr_desktop.sync.client import MESSAGES
    from jisr_desktop.ui import dates

    _person(ctx, "Amina", "Alaoui")  # a change made here, not sent yet
    synced = clock.current - timedelta(minutes=40)
    ctx.db.execute("UPDATE sync_state SET server_url = 'https://hq.example', device_id = 'dev-1',"
                   " device_secret = 's', last_success_at = ?, last_error_code = 'unreachable'"
                   " WHERE id = 1", [synced.isoformat()])
    ctx.db.conn.commit()
    Settings(home).set("sync_interval_minutes", 0)  # no automatic sync to that address
    shell = shell_factory(clock=clock)
    main = sign_in(qtbot, shell, "recep")
    idle(qtbot, shell)
    home = main.screens["today"]
    text = home.sync_text.text()
    assert text.startswith(f"Last sync with HQ: today at {dates.time_text(synced)}.")
    assert "The last try did not go through: " + MESSAGES["unreachable"] in text
    assert "Changes made here waiting to be sent to HQ: " in text
    assert "Everything recorded here has reached HQ." not in text


def test_a_session_that_ends_leaves_the_home_without_a_data_change(qtbot, shell_factory, receptionist,  # type: ignore[no-untyped-def]
                                                                     ctx, coord_ctx, clock, monkeypatch) -> None:
    from datetime import timedelta

    from jisr_desktop.services import workshops
    from jisr_desktop.ui.screens import today as today_screen

    monkeypatch.setattr(today_screen, "TICK_MS", 50)
    w = workshops.save_workshop(ctx=coord_ctx, data={"category_code": "crafts", "title": "Sewing"})
    workshops.add_session(ctx=coord_ctx, workshop_id=w.id, starts_at=clock.current,
                          ends_at=clock.current + timedelta(hours=1))
    imane = _person(ctx, "Imane", "Sbai")
    workshops.enroll_participant(ctx=coord_ctx, workshop_id=w.id, person_id=imane.id)
    shell = shell_factory(clock=clock)
    main = sign_in(qtbot, shell, "recep")
    main.show()
    idle(qtbot, shell)
    home = main.screens["today"]
    assert [row[0] for row in _texts(home.expected)] == ["Imane Sbai"]
    clock.advance(hours=1, minutes=1)  # the session is over: nobody writes anything
    qtbot.waitUntil(lambda: home.expected.model.rowCount() == 0, timeout=10_000)
    assert home.expected.stack.currentWidget() is home.expected.empty
