"""`Session.data_changed` (jisr_desktop/ui/session.py): a `session.call` that wrote rows
signals "write" and the main window refreshes the visible screen; a call that only read
signals nothing. (A sync that pulled rows signals "pull": tests/ui/test_sync_agent.py.)"""

from __future__ import annotations

from jisr_desktop.services import registry
from tests.ui.conftest import idle, sign_in


def _people_showing(qtbot, main, text: str):  # type: ignore[no-untyped-def]
    people = main.show_section("people")
    model = people.picker.model
    with qtbot.waitSignal(model.searched, timeout=10_000):
        qtbot.keyClicks(people.picker.query, text)
    return model


def test_a_write_through_the_session_refreshes_the_visible_screen(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator) -> None:
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    idle(qtbot, shell)
    model = _people_showing(qtbot, main, "Zineb")
    assert model.rowCount() == 0
    session = shell.session

    def register(ctx):  # type: ignore[no-untyped-def]
        return registry.register_person(ctx=ctx, data={
            "given_name_lat": "Zineb", "family_name_lat": "Berrada"})

    # nothing but the change itself re-runs the search: the People screen shows her
    with qtbot.waitSignal(session.data_changed, timeout=10_000) as changed:
        session.call(register)
    assert changed.args == [session.WRITE, None]
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10_000)
    zineb = model.person_id(0)
    idle(qtbot, shell)

    # a call that only reads signals nothing
    with qtbot.assertNotEmitted(session.data_changed, wait=100):
        with qtbot.waitSignal(session.runner.finished, timeout=10_000):
            session.call(lambda ctx: registry.get_person(ctx=ctx, person_id=zineb))
        idle(qtbot, shell)
