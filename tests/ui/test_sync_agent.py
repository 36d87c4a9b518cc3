"""The timed automatic sync agent (`SyncAgent` in ui/screens/sync.py) against a real HQ
subprocess, behind the fault proxy of the sync tests.

The timer period comes from the setting `sync_interval_minutes` through `interval_ms`, which
these tests replace so that one "minute" lasts 100 ms: the agent syncs on its timer, the status
bar goes from changes waiting to up to date, a slow HQ never freezes the window, an HQ that
cannot be reached is shown in plain words without a dialog, 0 stops automatic sync, and timer
ticks during a sync never start a second one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from jisr_desktop.context import Context, User
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import registry
from jisr_desktop.settings import Settings
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync.client import MESSAGES, SyncClient
from jisr_desktop.ui import tasks
from jisr_desktop.ui.screens import sync as sync_screen
from jisr_desktop.ui.screens.sync import SyncAgent, SyncScreen
from jisr_desktop.ui.style import tone_of
from tests.hq.conftest import _server
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, hq_content
from tests.sync.faultproxy import Fault, FaultProxy
from tests.ui.conftest import idle, sign_in

MINUTE_MS = 100
"""How long one "minute" of `sync_interval_minutes` lasts in these tests."""


@pytest.fixture(scope="module")
def hq(request: pytest.FixtureRequest) -> Iterator[HqServer]:
    yield from _server("sqlite", request)


@pytest.fixture
def proxy(hq: HqServer) -> Iterator[FaultProxy]:
    with FaultProxy(hq.port) as px:
        yield px


class SyncCounter:
    """Wraps the real `SyncClient.sync` to count syncs and how many ran at the same time."""

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.running = 0
        self.most_at_once = 0
        self.threads: list[str] = []  # the name of the thread each sync ran on
        self._lock = threading.Lock()

    def wrap(self, real: Any) -> Any:
        def sync(client: SyncClient) -> sync_client.SyncReport:
            with self._lock:
                self.started += 1
                self.threads.append(threading.current_thread().name)
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                return real(client)
            finally:
                with self._lock:
                    self.running -= 1
                    self.finished += 1
        return sync


@pytest.fixture
def syncs(monkeypatch: pytest.MonkeyPatch) -> SyncCounter:
    counter = SyncCounter()
    monkeypatch.setattr(SyncClient, "sync", counter.wrap(SyncClient.sync))
    monkeypatch.setattr(sync_screen, "interval_ms", lambda minutes: max(0, int(minutes)) * MINUTE_MS)
    monkeypatch.setattr(sync_screen, "START_DELAY_MS", 10 * 60_000)  # only the timer syncs here
    return counter


def _enrolled_with_pending_work(home: Path, coordinator: User, hq: HqServer, url: str) -> str:
    """Enroll the program's database through `url`, then register a person not yet sent."""
    _code, codes = hq.new_center(codes=1)
    db = open_database(home)
    try:
        SyncClient(db, user=coordinator).enroll(url, codes[0])
        return registry.register_person(ctx=Context(db=db, user=coordinator), data={
            "given_name_lat": "Salma", "family_name_lat": "Timer"}).id
    finally:
        db.close()


def _no_dialog_shown() -> bool:
    return not any(isinstance(w, QMessageBox | QDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())


def test_agent_syncs_on_its_timer_and_stops_at_zero(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, hq: HqServer, proxy: FaultProxy, home: Path,
        syncs: SyncCounter) -> None:
    person = _enrolled_with_pending_work(home, coordinator, hq, proxy.url)
    Settings(home).set("sync_interval_minutes", 0)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    agent = SyncAgent.of(shell.session)
    assert not agent.automatic
    # pending: the status bar says a change is waiting, and nothing syncs by itself
    qtbot.waitUntil(lambda: main.sync_label.text() == "Sync: 1 change waiting", timeout=10_000)
    qtbot.wait(5 * MINUTE_MS)
    assert syncs.started == 0

    # one "minute": the timer syncs, and the indicator turns to up to date
    shell.session.set_setting("sync_interval_minutes", 1)
    assert agent.automatic and agent.timer.interval() == MINUTE_MS
    qtbot.waitUntil(lambda: main.sync_label.text() == "Sync: up to date", timeout=20_000)
    assert syncs.finished >= 1 and agent.last_failure is None
    assert hq_content(hq)[("person", person)][0]["given_name_lat"] == "Salma"
    qtbot.waitUntil(lambda: syncs.finished >= 3, timeout=20_000)  # and again, on every tick

    # 0: automatic sync stops (a sync already started may still finish)
    shell.session.set_setting("sync_interval_minutes", 0)
    assert not agent.automatic
    qtbot.waitUntil(lambda: not agent.busy, timeout=20_000)
    idle(qtbot, shell)
    stopped_at = syncs.started
    qtbot.wait(10 * MINUTE_MS)
    assert syncs.started == stopped_at
    assert main.sync_label.text() == "Sync: up to date"


def test_slow_or_unreachable_hq_never_blocks_the_window(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, hq: HqServer, proxy: FaultProxy, home: Path,
        syncs: SyncCounter) -> None:
    _enrolled_with_pending_work(home, coordinator, hq, proxy.url)
    Settings(home).set("sync_interval_minutes", 0)
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    agent = SyncAgent.of(shell.session)
    ticks: list[int] = []
    agent.timer.timeout.connect(lambda: ticks.append(1))

    # HQ answers slowly: each connection waits 3 s while the timer ticks every 100 ms
    proxy.default = Fault(delay_s=3.0)
    shell.session.set_setting("sync_interval_minutes", 1)
    qtbot.waitUntil(lambda: agent.busy, timeout=10_000)
    assert main.sync_label.text() == "Sync: in progress…"
    # the window keeps responding while the sync waits for HQ: timers fire, sections open
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(agent.busy))
    qtbot.waitUntil(lambda: bool(fired), timeout=5_000)
    people = main.show_section("people")
    assert people is not None and people.isVisible()
    assert agent.busy and fired == [True]  # all of that happened during the sync
    assert syncs.running == 1
    assert agent.sync_now() is False  # a tick (or a click) during a sync starts nothing
    qtbot.waitUntil(lambda: main.sync_label.text() == "Sync: up to date", timeout=30_000)
    # many ticks came while HQ was slow, yet never two syncs at once
    assert len(ticks) > syncs.started >= 1
    assert syncs.most_at_once == 1

    # HQ cannot be reached (its port is closed): plain words, no dialog, retried on the timer
    proxy.default = Fault()
    proxy.close()
    qtbot.waitUntil(lambda: agent.last_failure is not None
                    and agent.last_failure.code == "unreachable", timeout=30_000)
    # (between two ticks: the next tick shows "in progress" again for a moment)
    qtbot.waitUntil(lambda: main.sync_label.text() == "Sync: HQ not reachable, will retry",
                    timeout=10_000)
    assert tone_of(main.sync_label) == "notice"  # a warning, in the status bar's orange
    assert _no_dialog_shown()
    screen = main.show_section("sync")
    assert isinstance(screen, SyncScreen)
    idle(qtbot, shell)
    assert screen.error_label.text() == MESSAGES["unreachable"]
    failed_at = syncs.finished
    qtbot.waitUntil(lambda: syncs.finished >= failed_at + 2, timeout=20_000)  # keeps retrying
    assert syncs.most_at_once == 1 and _no_dialog_shown()
    shell.session.set_setting("sync_interval_minutes", 0)
    qtbot.waitUntil(lambda: not agent.busy, timeout=20_000)
    idle(qtbot, shell)


def test_a_pull_applied_by_the_agent_refreshes_the_visible_screen(  # type: ignore[no-untyped-def]
        qtbot, shell_factory, coordinator, hq: HqServer, home: Path, tmp_path: Path,
        syncs: SyncCounter) -> None:
    """...and the sync ran on the database lane of the task helper, not the network pool."""
    _code, codes = hq.new_center(codes=2)
    db = open_database(home)
    try:
        SyncClient(db, user=coordinator).enroll(hq.base_url, codes[0])
    finally:
        db.close()
    Settings(home).set("sync_interval_minutes", 0)  # only "sync now" below syncs
    other = Desk.create(tmp_path / "other", "other", local_center=False)
    try:
        other.enroll(hq, codes[1])
        shell = shell_factory()
        main = sign_in(qtbot, shell, "coord")
        idle(qtbot, shell)
        people = main.show_section("people")
        model = people.picker.model
        with qtbot.waitSignal(model.searched, timeout=10_000):
            qtbot.keyClicks(people.picker.query, "Amina")
        assert model.rowCount() == 0

        # a second desktop of the center registers Amina and sends her to HQ
        amina = registry.register_person(ctx=other.ctx(), data={
            "given_name_lat": "Amina", "family_name_lat": "Pulled"})
        other.sync()  # (the test's own sync, on this thread)
        syncs.threads.clear()
        agent = SyncAgent.of(shell.session)
        with qtbot.waitSignal(shell.session.data_changed, timeout=30_000,
                              check_params_cb=lambda origin, _source: origin == shell.session.PULL):
            assert agent.sync_now()
        assert agent.last_report is not None and agent.last_report.pulled > 0
        assert len(syncs.threads) == 1 and syncs.threads[0].startswith(tasks.DB_LANE)
        # the People screen, visible all along, shows her without anyone pressing F5
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10_000)
        assert model.person_id(0) == amina.id
        idle(qtbot, shell)
    finally:
        other.close()
