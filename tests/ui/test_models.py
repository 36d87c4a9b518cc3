"""Item models pass Qt's model tester; the person search model fills rows lazily and drops
stale results; the task helper delivers on the GUI thread."""

from __future__ import annotations

import threading

from jisr_desktop.services import registry
from jisr_desktop.ui.models import PERSON_COLUMNS, PersonSearchModel, RowsModel
from jisr_desktop.ui.screens.reception import VISIT_COLUMNS
from jisr_desktop.ui.tasks import TaskRunner


def _people(ctx, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [registry.register_person(ctx=ctx, data={"given_name_lat": "Karim", "family_name_lat": f"Test{i:03d}"}).id
            for i in range(n)]


def test_person_search_model_passes_modeltester(qtbot, qtmodeltester, ctx, home) -> None:  # type: ignore[no-untyped-def]
    ids = _people(ctx, 130)
    runner = TaskRunner(home)
    try:
        model = PersonSearchModel(runner, page=50)
        with qtbot.waitSignal(model.searched, timeout=10_000) as done:
            model.search("karim")
        assert done.args == ["karim", 130]
        assert set(model.person_id(i) for i in range(130)) == set(ids)
        assert model.person(0) is not None and model.person(120) is None  # lazy
        with qtbot.waitSignal(model.rows_loaded, timeout=10_000):
            assert model.data(model.index(120, 0)) == "…"
        assert model.person(120) is not None
        assert model.data(model.index(120, 0)).startswith("Karim Test")
        qtmodeltester.check(model, force_py=True)
        qtbot.waitUntil(lambda: runner.pending() == 0, timeout=10_000)
    finally:
        runner.close()


def test_stale_search_results_are_dropped(qtbot, ctx, home) -> None:  # type: ignore[no-untyped-def]
    _people(ctx, 3)
    registry.register_person(ctx=ctx, data={"given_name_lat": "Zineb", "family_name_lat": "Amrani"})
    runner = TaskRunner(home)
    try:
        model = PersonSearchModel(runner)
        seen: list[str] = []
        model.searched.connect(lambda text, n: seen.append(text))
        for text in ("k", "ka", "kar", "zineb"):
            model.search(text)
        qtbot.waitUntil(lambda: runner.pending() == 0, timeout=10_000)
        assert seen == ["zineb"]  # the older searches were skipped or their results dropped
        assert model.text == "zineb" and model.rowCount() == 1
    finally:
        runner.close()


def test_debounced_typing_runs_one_search(qtbot, ctx, home) -> None:  # type: ignore[no-untyped-def]
    _people(ctx, 2)
    runner = TaskRunner(home)
    try:
        model = PersonSearchModel(runner, debounce_ms=100)
        seen: list[str] = []
        model.searched.connect(lambda text, n: seen.append(text))
        for text in ("K", "Ka", "Kar", "Kari", "Karim"):
            model.set_query(text)
        with qtbot.waitSignal(model.searched, timeout=5_000):
            pass
        assert seen == ["Karim"] and model.rowCount() == 2
    finally:
        runner.close()


def test_rows_model_passes_modeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.ui.models import Column

    model = RowsModel([Column("Name", lambda r: r[0]), Column("Phone", lambda r: r[1])])
    model.set_rows([("Amina", "0600"), ("Omar", "0700")])
    qtmodeltester.check(model, force_py=True)
    assert model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "Name"
    assert len(PERSON_COLUMNS) == 6 and len(VISIT_COLUMNS) == 7


def test_visits_and_members_models_pass_modeltester(qtbot, qtmodeltester, ctx) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.services import households, visits
    from jisr_desktop.ui.screens.household import MEMBER_COLUMNS

    head, child = _people(ctx, 2)
    household = households.create_household(ctx=ctx, head_person_id=head)
    household = households.add_member(ctx=ctx, household_id=household.id, person_id=child,
                                       relationship="child")
    members = RowsModel(MEMBER_COLUMNS)
    members.set_rows(household.members)
    qtmodeltester.check(members, force_py=True)
    visits.log_visit(ctx=ctx, data={"person_id": head, "program_code": "rsu", "channel": "phone",
                                    "outcome": "informed"})
    day = RowsModel(VISIT_COLUMNS)
    day.set_rows(visits.visits_on(ctx=ctx, day=ctx.today()))
    qtmodeltester.check(day, force_py=True)


def test_task_results_arrive_on_the_gui_thread(qtbot, home, db) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(home)
    try:
        threads: dict[str, object] = {}

        def work(database):  # type: ignore[no-untyped-def]
            threads["work"] = threading.current_thread()
            return database.execute("SELECT count(*) FROM program").fetchone()[0]

        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.run_db(work, lambda n: threads.update(done=threading.current_thread(), n=n))
        assert threads["n"] == 7
        assert threads["work"] is not threading.main_thread()
        assert threads["done"] is threading.main_thread()
        errors: list[BaseException] = []
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.run_net(lambda: 1 / 0, on_error=errors.append)
        assert isinstance(errors[0], ZeroDivisionError)
    finally:
        runner.close()
