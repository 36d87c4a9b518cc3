"""The database lane of `TaskRunner` (jisr_desktop/ui/tasks.py): one thread of its own, apart
from the screens' database worker and the network pool, running its jobs one at a time in
the order given, while the screens' worker goes on serving them."""

from __future__ import annotations

import threading
from pathlib import Path

from jisr_desktop.ui import tasks
from jisr_desktop.ui.tasks import TaskRunner


def test_the_database_lane_is_one_thread_of_its_own(qtbot, home: Path) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(home, create=True)
    try:
        release = threading.Event()
        names: list[str] = []

        def slow() -> str:
            names.append(threading.current_thread().name)
            release.wait(10)
            return "first"

        def second() -> str:
            names.append(threading.current_thread().name)
            return "second"

        done: list[str] = []
        runner.run_db_lane(slow, done.append)
        runner.run_db_lane(second, done.append)
        # the lane is busy: the screens' worker and the network pool still answer
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.run_db(lambda db: threading.current_thread().name, done.append)
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.run_net(lambda: threading.current_thread().name, done.append)
        assert done[0] == tasks.DB_WORKER and done[1].startswith(tasks.NET_LANE)
        assert names and len(names) == 1  # the second job waits for the first
        release.set()
        qtbot.waitUntil(lambda: len(done) == 4, timeout=10_000)
        assert done[2:] == ["first", "second"]
        assert len(set(names)) == 1 and names[0].startswith(tasks.DB_LANE)
    finally:
        release.set()
        runner.close()
