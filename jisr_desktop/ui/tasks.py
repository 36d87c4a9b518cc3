"""The one background task helper, with three lanes: the screens' database work on a single
worker thread, network work on a small pool, and the database lane, a single thread of its
own for long database work that opens its own connection (a sync: its capture and its
pull-apply), so that it neither holds up the screens nor takes a network worker. Results are
delivered on the GUI thread by a signal.

The worker thread owns its own database connection (opened there with `open_session_database`); the
GUI thread never touches the database. A task submitted with a `key` makes any older task of
the same key stale: it is skipped if it has not started, and its result is dropped if it has
(an older search never overwrites a newer one). Functions run in the background never touch a
widget; their `on_done`/`on_error` callbacks run on the GUI thread.

Usage::

    runner.run_db(lambda db: registry.matching_ids(db, text), on_done=self.show_hits, key="search")
    runner.run_net(lambda: client.push(), on_done=self.pushed)
    runner.run_db_lane(lambda: sync_in_its_own_connection(), on_done=self.synced)
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from PySide6.QtCore import QObject, Signal, Slot

from jisr_desktop.services.accounts import open_session_database

log = logging.getLogger("jisr.ui.tasks")

DB_WORKER = "jisr-db"
NET_LANE = "jisr-net"
DB_LANE = "jisr-dblane"
"""Thread names (prefixes for the pools) of the screens' database worker, the network pool
and the database lane."""

DbFn = Callable[[sqlite_utils.Database], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


@dataclass
class Task:
    ticket: int
    fn: Callable[..., Any]
    on_done: Done | None
    on_error: Failed | None
    key: str | None
    result: Any = None
    error: BaseException | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class TaskRunner(QObject):
    """Runs database and network work off the GUI thread.

    Signals:
        finished(int): a task's callbacks have run on the GUI thread (its ticket).
        idle(): no task is pending any more.
        unhandled(object): a task failed and had no `on_error` (the exception).
    """

    finished = Signal(int)
    idle = Signal()
    unhandled = Signal(object)
    _deliver = Signal(object)

    def __init__(self, root: Path, *, create: bool = False, network_workers: int = 2,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.root = root
        self._create = create
        self._queue: queue.Queue[Task | None] = queue.Queue()
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._pending = 0
        self._db: sqlite_utils.Database | None = None
        self._pool = ThreadPoolExecutor(max_workers=network_workers, thread_name_prefix=NET_LANE)
        self._db_lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix=DB_LANE)
        self._deliver.connect(self._on_deliver)
        self._thread = threading.Thread(target=self._work, name=DB_WORKER, daemon=True)
        self._thread.start()
        self._closed = False

    # --- submitting (GUI thread) ---------------------------------------------------------

    def _ticket(self, key: str | None) -> int:
        with self._lock:
            self._next += 1
            self._pending += 1
            if key is not None:
                self._latest[key] = self._next
            return self._next

    def run_db(self, fn: DbFn, on_done: Done | None = None, on_error: Failed | None = None, *,
               key: str | None = None) -> int:
        """Run `fn(db)` on the database worker; returns the task's ticket."""
        task = Task(self._ticket(key), fn, on_done, on_error, key)
        self._queue.put(task)
        return task.ticket

    def run_without_db(self, fn: Callable[[], Any], on_done: Done | None = None,
                       on_error: Failed | None = None) -> int:
        """Run `fn()` on the database worker after closing its connection (the next task
        opens a new one): for work that replaces the database file (a restore), which must
        not be open anywhere (Windows cannot move an open file) nor written meanwhile."""
        task = Task(self._ticket(None), fn, on_done, on_error, None, extra={"without_db": True})
        self._queue.put(task)
        return task.ticket

    def run_net(self, fn: Callable[[], Any], on_done: Done | None = None,
                on_error: Failed | None = None, *, key: str | None = None) -> int:
        """Run `fn()` on the network pool (never the database: it has no connection)."""
        task = Task(self._ticket(key), fn, on_done, on_error, key)
        self._pool.submit(self._run_plain, task)
        return task.ticket

    def run_db_lane(self, fn: Callable[[], Any], on_done: Done | None = None,
                    on_error: Failed | None = None, *, key: str | None = None) -> int:
        """Run `fn()` on the database lane: one thread, one job at a time, in the order given.
        `fn` opens (and closes) its own connection; the screens' worker keeps serving them."""
        task = Task(self._ticket(key), fn, on_done, on_error, key)
        self._db_lane.submit(self._run_plain, task)
        return task.ticket

    def pending(self) -> int:
        with self._lock:
            return self._pending

    def is_stale(self, task: Task) -> bool:
        with self._lock:
            return task.key is not None and self._latest.get(task.key, task.ticket) != task.ticket

    # --- running (background threads) ----------------------------------------------------

    def _open(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = open_session_database(self.root, create=self._create)
        return self._db

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                break
            if self.is_stale(task):
                task.extra["skipped"] = True
            else:
                try:
                    if task.extra.get("without_db"):
                        self._close_db()
                        task.result = task.fn()
                    else:
                        task.result = task.fn(self._open())
                except BaseException as exc:  # delivered to the GUI thread, never lost
                    task.error = exc
            self._deliver.emit(task)
        self._close_db()

    def _close_db(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _run_plain(self, task: Task) -> None:
        if not self.is_stale(task):
            try:
                task.result = task.fn()
            except BaseException as exc:
                task.error = exc
        self._deliver.emit(task)

    # --- delivering (GUI thread) ---------------------------------------------------------

    @Slot(object)
    def _on_deliver(self, task: Task) -> None:
        with self._lock:
            self._pending -= 1
            left = self._pending
        try:
            if task.extra.get("skipped") or self.is_stale(task) or self._closed:
                return
            if task.error is not None:
                if task.on_error is not None:
                    task.on_error(task.error)
                else:
                    log.error("background task failed", exc_info=task.error)
                    self.unhandled.emit(task.error)
            elif task.on_done is not None:
                task.on_done(task.result)
        finally:
            self.finished.emit(task.ticket)
            if left == 0:
                self.idle.emit()

    def close(self) -> None:
        """Finish queued work, close the worker's connection and stop the threads."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(timeout=30)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._db_lane.shutdown(wait=True, cancel_futures=True)
