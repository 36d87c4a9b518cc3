"""Backups for coordinators: back up now, back up to a folder (a USB stick), the list of
backups, export of the key, and restore; and the automatic daily backup (`DailyBackup`).

Every backup and restore runs off the GUI thread, one at a time (`DISK_LOCK`). Backups are
made on the task helper's pool from a connection of their own (SQLite's online backup API is
consistent while people work). A restore replaces the database file, which must be open
nowhere (Windows cannot move an open file): it runs on the database worker itself with the
worker's connection closed (`TaskRunner.run_without_db`), so no other database work runs
meanwhile, and the next task opens the restored database. Then the session says
`database_replaced`: the main window signs out and everyone signs in again (the accounts,
like everything else, are the backup's). A refused file changes nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jisr_desktop import i18n, paths
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_, _, translate
from jisr_desktop.services import backup
from jisr_desktop.ui.dialogs import Dialogs, show_error
from jisr_desktop.ui.language import RetranslateMixin
from jisr_desktop.ui.models import Column, RowsModel
from jisr_desktop.ui.session import Session
from jisr_desktop.ui.style import set_role, set_tone
from jisr_desktop.ui.widgets import isolate

log = logging.getLogger("jisr.ui.backups")

DISK_LOCK = threading.Lock()  # one backup or restore at a time, whichever thread runs it
HOUR_MS = 3_600_000

KIND_LABELS = {
    "daily": N_("Automatic"),
    "before-restore": N_("Before a restore"),
    "before-upgrade": N_("Before an upgrade"),
    "other": N_("Other backup"),
}
# The record counts shown before a restore: the tables a coordinator recognises.
COUNTED_TABLES = (
    ("person", N_("People")),
    ("household", N_("Families")),
    ("visit", N_("Visits")),
    ("check_in", N_("Check-ins")),
    ("enrollment", N_("Enrolments")),
    ("attendance", N_("Workshop attendance")),
    ("campaign_participant", N_("Campaign participants")),
    ("user_account", N_("Staff accounts")),
)


def _locked(fn: Callable[[], Any]) -> Any:
    with DISK_LOCK:
        return fn()


class DailyBackup(QObject):
    """Today's backup at start and then every hour (made only when today has none yet), on
    the task helper's pool. A failure is logged and left calmly in the status bar.

    Signals:
        finished(object): a run ended (the new backup's path, or None when today had one).
        failed(str): a run failed (the message shown).
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, session: Session, *, interval_ms: int = HOUR_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run)

    def start(self) -> None:
        self.run()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run(self) -> None:
        if self.running:
            return
        self.running = True
        root = self.session.root
        self.session.runner.run_net(lambda: _locked(lambda: backup.ensure_daily_backup(root)),
                                    self._done, self._failed)

    def _done(self, path: Path | None) -> None:
        self.running = False
        if path is not None:
            log.info("daily backup written to %s", path)
            self.session.set_notice(N_("Today's backup was made at {time}."), "ok",
                                    time=i18n.format_time(datetime.now()))
        self.finished.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        log.warning("the automatic daily backup failed", exc_info=exc)
        reason = exc.message() if isinstance(exc, JisrError) else type(exc).__name__
        self.session.set_notice(N_("The automatic backup failed ({reason}); it will be tried "
                                   "again within the hour."), "warning", reason=reason)
        self.failed.emit(reason)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    when: datetime
    size: int
    kind: str  # daily, before-restore, before-upgrade or other


def list_backups(root: Path) -> list[BackupFile]:
    """Pool thread: the backup files of the data root's backups folder, newest first."""
    found = []
    folder = paths.backups_dir(root)
    for path in folder.glob(f"jisr-*{backup.SUFFIX}") if folder.is_dir() else []:
        try:
            stat = path.stat()
        except OSError:
            continue
        kind = next((k for k in KIND_LABELS if path.name.startswith(f"jisr-{k}-")), "other")
        found.append(BackupFile(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size, kind))
    return sorted(found, key=lambda b: b.when, reverse=True)


def format_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size} MB", size=i18n.format_number(round(size / (1024 * 1024), 1)))
    return _("{size} KB", size=i18n.format_number(max(1, round(size / 1024))))


BACKUP_COLUMNS = (
    Column(N_("Date"), lambda b: _("{date} {time}", date=i18n.format_date(b.when),
                                   time=i18n.format_time(b.when))),
    Column(N_("Kind"), lambda b: translate(KIND_LABELS[b.kind])),
    Column(N_("Size"), lambda b: format_size(b.size)),
    Column(N_("File"), lambda b: isolate(b.path.name)),
)


def count_rows(current: dict[str, int] | None, incoming: dict[str, int]) -> list[tuple[str, str, str]]:
    """(what, now, in the backup) for the tables a coordinator recognises, then all records."""
    def shown(counts: dict[str, int] | None, table: str | None) -> str:
        if counts is None:
            return "—"
        value = sum(counts.values()) if table is None else counts.get(table, 0)
        return i18n.format_number(value)

    rows = [(translate(label), shown(current, t), shown(incoming, t)) for t, label in COUNTED_TABLES]
    rows.append((_("All records"), shown(current, None), shown(incoming, None)))
    return rows


class RestoreDialog(QDialog):
    """The record counts of a backup beside the current ones, and the question.

    Signals: none besides QDialog's.
    """

    def __init__(self, file_name: str, rows: list[tuple[str, str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore a backup"))
        self.question = QLabel(_("Replace the current records by those of the backup {file}? "
                                 "Whatever was recorded on this PC after the backup and not yet "
                                 "synced will be gone; the current database is kept in the "
                                 "backups folder.", file=isolate(file_name)))
        self.question.setWordWrap(True)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("restoreCounts")
        self.table.setHorizontalHeaderLabels([_("Records"), _("Now"), _("In the backup")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        box = QVBoxLayout(self)
        box.addWidget(self.question)
        box.addWidget(self.table)
        box.addWidget(buttons)
        self.resize(640, 480)


class BackupsScreen(RetranslateMixin, QWidget):
    """Back up now, back up to…, the backups list, export the key, restore (coordinators).

    Signals:
        listed(int): the backups list was loaded (how many files).
        backed_up(object): a backup was written (its path).
        key_exported(object): the key was written (its path).
        restored(object): a restore finished (the `RestoreResult`).
        refused(str): a backup, restore or export did not happen (the message shown).
    """

    listed = Signal(int)
    backed_up = Signal(object)
    key_exported = Signal(object)
    restored = Signal(object)
    refused = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        set_role(self.title, "title")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.backup_button = QPushButton()
        self.backup_button.setObjectName("backupNow")
        self.backup_to_button = QPushButton()
        self.backup_to_button.setObjectName("backupTo")
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.export_key_button = QPushButton()
        self.export_key_button.setObjectName("exportKey")
        self.buttons = [self.backup_button, self.backup_to_button, self.restore_button,
                        self.export_key_button]
        self.key_warning = QLabel()
        self.key_warning.setObjectName("keyWarning")
        self.key_warning.setWordWrap(True)
        self.model = RowsModel(BACKUP_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("backups")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.table.horizontalHeader().setSectionResizeMode(  # the file name, never elided
            len(BACKUP_COLUMNS) - 1, QHeaderView.ResizeMode.ResizeToContents)
        self.message = QLabel()
        self.message.setObjectName("backupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.intro)
        box.addLayout(row)
        box.addWidget(self.message)
        box.addWidget(self.key_warning)
        box.addWidget(self.table, 1)
        self.backup_button.clicked.connect(self.back_up_now)
        self.backup_to_button.clicked.connect(self.back_up_to)
        self.restore_button.clicked.connect(self.restore)
        self.export_key_button.clicked.connect(self.export_key)
        self.retranslate()
        self.refresh()

    # --- asking (tests replace these) -----------------------------------------------------

    @classmethod
    def ask_folder(cls, parent: QWidget | None, title: str) -> str | None:
        folder = QFileDialog.getExistingDirectory(parent, title)
        return folder or None

    @classmethod
    def ask_backup_file(cls, parent: QWidget | None, start: str) -> str | None:
        path, _filter = QFileDialog.getOpenFileName(parent, _("Choose the backup to restore"), start,
                                                    _("Jisr Desktop backups (*{suffix})", suffix=backup.SUFFIX))
        return path or None

    @classmethod
    def ask_restore(cls, parent: QWidget | None, file_name: str,
                    rows: list[tuple[str, str, str]]) -> bool:
        return RestoreDialog(file_name, rows, parent).exec() == QDialog.DialogCode.Accepted

    # --- state ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Backups"))
        self.intro.setText(_("Jisr Desktop backs up the database every day in the data folder. "
                             "Keep a copy away from this PC too: back up to a USB stick every week."))
        self.backup_button.setText(_("Back up now"))
        self.backup_to_button.setText(_("Back up to…"))
        self.restore_button.setText(_("Restore…"))
        self.export_key_button.setText(_("Export the key…"))
        self.key_warning.setText(_("A backup opens only with this center's key. Keep the exported "
                                   "key on separate media, in the coordinator's safe: never on the "
                                   "same stick as the backups."))
        self.model.retranslate()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        root = self.session.root
        self.session.runner.run_net(lambda: list_backups(root), self._listed, self._failed,
                                    key="backups-list")

    def _listed(self, files: list[BackupFile]) -> None:
        self.model.set_rows(files)
        self.listed.emit(len(files))

    def _busy(self, text: str) -> None:
        for button in self.buttons:
            button.setEnabled(False)
        set_tone(self.message, None)
        self.message.setText(text)

    def _ready(self) -> None:
        for button in self.buttons:
            button.setEnabled(True)

    def _said(self, text: str) -> None:
        self._ready()
        set_tone(self.message, None)
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        """Known problems (a refused file, a full stick) are said here; bugs get the calm dialog."""
        self._ready()
        if isinstance(exc, JisrError):
            text = exc.message()
        elif isinstance(exc, OSError):
            log.warning("backup folder problem", exc_info=exc)
            text = _("The folder cannot be used ({reason}). Nothing was changed.",
                     reason=exc.strerror or type(exc).__name__)
        else:
            self.message.clear()
            show_error(self, exc)
            return
        set_tone(self.message, "error")
        self.message.setText(text)
        self.refused.emit(text)

    # --- backing up -----------------------------------------------------------------------

    def back_up_now(self) -> None:
        root = self.session.root
        self._busy(_("Backing up…"))
        self.session.runner.run_net(lambda: _locked(lambda: backup.make_backup(root)),
                                    self._backed_up, self._failed)

    def back_up_to(self) -> None:
        folder = self.ask_folder(self, _("Choose the folder (a USB stick) for the backup"))
        if not folder:
            return
        root = self.session.root
        self._busy(_("Backing up…"))
        self.session.runner.run_net(
            lambda: _locked(lambda: backup.backup_to_folder(root, Path(folder))),
            self._backed_up, self._failed)

    def _backed_up(self, path: Path) -> None:
        self._said(_("The backup was written and checked: {path}", path=isolate(str(path))))
        self.refresh()
        self.backed_up.emit(path)

    def export_key(self) -> None:
        folder = self.ask_folder(self, _("Choose where to keep the key (not the backup stick)"))
        if not folder:
            return
        root = self.session.root

        def job() -> Path:
            try:
                return backup.export_key(root, Path(folder))
            except FileExistsError:
                raise JisrError(N_("There is already a key file in {path}; it was not replaced."),
                                path=folder) from None

        self._busy(_("Writing the key…"))
        self.session.runner.run_net(job, self._key_exported, self._failed)

    def _key_exported(self, path: Path) -> None:
        self._said(_("The key was written to {path}. Keep it apart from the backups.",
                     path=isolate(str(path))))
        self.key_exported.emit(path)

    # --- restoring ------------------------------------------------------------------------

    def restore(self) -> None:
        chosen = self.ask_backup_file(self, str(paths.backups_dir(self.session.root)))
        if not chosen:
            return
        path, root = Path(chosen), self.session.root

        def check() -> tuple[backup.BackupInfo, dict[str, int] | None]:
            return backup.preview_restore(root, path), backup.current_counts(root)

        self._busy(_("Checking the backup…"))
        self.session.runner.run_net(lambda: _locked(check), self._checked, self._failed)

    def _checked(self, result: tuple[backup.BackupInfo, dict[str, int] | None]) -> None:
        info, current = result
        if not self.ask_restore(self, info.path.name, count_rows(current, info.counts)):
            self._said(_("Nothing was restored."))
            return
        root = self.session.root
        self._busy(_("Restoring… Jisr Desktop cannot be used until it is done."))
        self.session.runner.run_without_db(lambda: _locked(lambda: backup.restore(root, info.path)),
                                           self._restored, self._failed)

    def _restored(self, result: backup.RestoreResult) -> None:
        log.info("restored %s from the desktop; signing everyone out", result.info.path)
        self._said(_("The backup was restored."))
        self.restored.emit(result)
        Dialogs.inform(self, _("Restore a backup"),
                       _("The backup {file} was restored. The database as it was before is kept in "
                         "the backups folder. Sign in again to go on working.",
                         file=isolate(result.info.path.name)))
        self.session.database_replaced.emit()
