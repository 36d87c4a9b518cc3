"""Backups from the desktop, driven as a coordinator would: back up now, back up to a USB
stick, refuse a damaged file, restore a good backup and go on working; the daily backup in
the background; receptionists never see any of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from jisr_desktop import paths
from jisr_desktop.db.backup import BackupError
from jisr_desktop.i18n import translate
from jisr_desktop.services import backup, registry
from jisr_desktop.ui.dialogs import Dialogs
from jisr_desktop.ui.screens.backups import BackupsScreen, DailyBackup
from tests.ui.conftest import PASSWORD, idle, sign_in


@pytest.fixture
def fatima(coord_ctx):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=coord_ctx, data={
        "given_name_lat": "Fatima", "family_name_lat": "Alaoui", "given_name_ar": "فاطمة",
        "family_name_ar": "العلوي", "birth_date": "1985-03-14", "phone": "0612345678"})


@pytest.fixture
def youssef(coord_ctx):  # type: ignore[no-untyped-def]
    return registry.register_person(ctx=coord_ctx, data={
        "given_name_lat": "Youssef", "family_name_lat": "Alaoui", "given_name_ar": "يوسف",
        "family_name_ar": "العلوي", "birth_date": "1986-07-01"})


def _backups_screen(qtbot, shell, username: str = "coord") -> BackupsScreen:  # type: ignore[no-untyped-def]
    main = sign_in(qtbot, shell, username)
    idle(qtbot, shell)  # the daily backup taken at start is done
    screen = main.show_section("backups")
    assert isinstance(screen, BackupsScreen)
    idle(qtbot, shell)
    return screen


def _search(qtbot, main, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    people = main.show_section("people")
    picker = people.picker
    picker.query.clear()
    with qtbot.waitSignal(picker.model.searched, timeout=10_000):
        qtbot.keyClicks(picker.query, text)
    return [picker.model.person_id(i) for i in range(picker.model.rowCount())]


def test_daily_backup_at_start_and_status_bar(qtbot, shell_factory, coordinator) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    qtbot.waitUntil(lambda: len(backup.daily_backups(shell.session.root)) == 1, timeout=10_000)
    idle(qtbot, shell)
    assert main.notice_label.text().startswith("Today's backup was made at")
    # A second run the same day makes nothing more.
    with qtbot.waitSignal(shell.daily_backup.finished, timeout=10_000) as ran:
        shell.daily_backup.run()
    assert ran.args == [None]
    assert len(backup.daily_backups(shell.session.root)) == 1


def test_a_failed_daily_backup_is_shown_calmly(qtbot, shell_factory, coordinator, monkeypatch,
                                               caplog) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    main = sign_in(qtbot, shell, "coord")
    idle(qtbot, shell)

    def full(root: Path) -> None:
        raise BackupError(reason="disk full")

    monkeypatch.setattr(backup, "ensure_daily_backup", full)
    daily = DailyBackup(shell.session, interval_ms=50)
    with qtbot.waitSignal(daily.failed, timeout=10_000):
        daily.start()  # now, then on the timer (which keeps going after a failure)
    with qtbot.waitSignal(daily.failed, timeout=10_000):
        pass
    daily.stop()
    idle(qtbot, shell)
    assert main.notice_label.isVisible()
    text = main.notice_label.text()
    assert "The automatic backup failed" in text and "disk full" in text
    assert main.isVisible() and shell.main is main
    logged = [r for r in caplog.records if r.name == "jisr.ui.backups" and r.exc_info]
    assert logged and "disk full" in str(logged[0].exc_info[1])


def test_back_up_now_and_to_a_folder(qtbot, shell_factory, coordinator, fatima, tmp_path,
                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    screen = _backups_screen(qtbot, shell)
    with qtbot.waitSignal(screen.listed, timeout=10_000), \
            qtbot.waitSignal(screen.backed_up, timeout=10_000) as made:
        qtbot.mouseClick(screen.backup_button, Qt.MouseButton.LeftButton)
    path = made.args[0]
    assert path.exists() and path.parent == paths.backups_dir(shell.session.root)
    assert path in [screen.model.row_at(i).path for i in range(screen.model.rowCount())]
    assert screen.backup_button.isEnabled()
    assert "The backup was written and checked" in screen.message.text()

    usb = tmp_path / "usb"
    usb.mkdir()
    asked: list[str] = []
    monkeypatch.setattr(BackupsScreen, "ask_folder",
                        classmethod(lambda cls, parent, title: asked.append(title) or str(usb)))
    with qtbot.waitSignal(screen.backed_up, timeout=10_000) as made:
        qtbot.mouseClick(screen.backup_to_button, Qt.MouseButton.LeftButton)
    on_stick = made.args[0]
    assert on_stick.parent == usb and on_stick.name.startswith("jisr-backup-TST01-")
    assert "USB" in asked[0]
    assert backup.preview_restore(shell.session.root, on_stick).counts["person"] == 1
    idle(qtbot, shell)


def test_export_the_key_never_over_an_existing_file(qtbot, shell_factory, coordinator, tmp_path,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    screen = _backups_screen(qtbot, shell)
    assert "never on the same stick" in screen.key_warning.text()
    safe = tmp_path / "safe"
    safe.mkdir()
    monkeypatch.setattr(BackupsScreen, "ask_folder", classmethod(lambda cls, parent, title: str(safe)))
    with qtbot.waitSignal(screen.key_exported, timeout=10_000) as exported:
        qtbot.mouseClick(screen.export_key_button, Qt.MouseButton.LeftButton)
    assert exported.args[0] == safe / "jisr.key"
    assert backup.read_key_file(safe / "jisr.key") == paths.key_file_path(shell.session.root) \
        .read_text(encoding="ascii").strip()
    with qtbot.waitSignal(screen.refused, timeout=10_000) as refused:
        qtbot.mouseClick(screen.export_key_button, Qt.MouseButton.LeftButton)
    assert "already a key file" in refused.args[0]
    idle(qtbot, shell)


@pytest.mark.parametrize("damage", ["garbage", "flipped"])
def test_a_damaged_backup_is_refused_and_nothing_changes(qtbot, shell_factory, coordinator, fatima,
                                                         tmp_path, monkeypatch, damage) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory(lang="fr")
    root = shell.session.root
    screen = _backups_screen(qtbot, shell)
    bad = tmp_path / "bad.jisrbak"
    if damage == "garbage":
        bad.write_bytes(os.urandom(64 * 1024))
    else:
        data = bytearray(backup.make_backup(root).read_bytes())
        for i in range(8192, 8192 + 512):
            data[i] ^= 0xFF
        bad.write_bytes(bytes(data))
    before = backup.current_counts(root)
    db_file = paths.database_path(root)
    stat_before = (db_file.stat().st_ino, db_file.stat().st_mtime_ns)
    monkeypatch.setattr(BackupsScreen, "ask_backup_file", classmethod(lambda cls, parent, start: str(bad)))
    asked: list[object] = []
    monkeypatch.setattr(BackupsScreen, "ask_restore",
                        classmethod(lambda cls, *args: asked.append(args) or True))
    with qtbot.waitSignal(screen.refused, timeout=10_000) as refused:
        qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    message = refused.args[0]
    assert message == screen.message.text()
    assert "rien n’a été modifié" in message  # the translated refusal (French here)
    assert not asked  # never asked: nothing to confirm
    assert backup.current_counts(root) == before
    assert (db_file.stat().st_ino, db_file.stat().st_mtime_ns) == stat_before
    assert not list(root.glob("jisr.db.restoring*"))
    assert screen.restore_button.isEnabled()
    # The program goes on working.
    assert _search(qtbot, shell.main, "Fatima") == [fatima.id]
    idle(qtbot, shell)


def test_restore_brings_back_the_records_of_the_backup(qtbot, shell_factory, coordinator, fatima,
                                                       youssef, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db.close()  # the test's own connection: only the program's remains open
    shell = shell_factory()
    root = shell.session.root
    screen = _backups_screen(qtbot, shell)
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(BackupsScreen, "ask_folder", classmethod(lambda cls, parent, title: str(usb)))
    with qtbot.waitSignal(screen.backed_up, timeout=10_000) as made:
        qtbot.mouseClick(screen.backup_to_button, Qt.MouseButton.LeftButton)
    on_stick = made.args[0]

    # After the backup: Fatima is renamed, Youssef merged away, someone new registered.
    def change(ctx):  # type: ignore[no-untyped-def]
        registry.update_person(ctx=ctx, person_id=fatima.id, data={"given_name_lat": "Fatiha"})
        registry.merge_persons(ctx=ctx, survivor_id=fatima.id, merged_id=youssef.id)
        return registry.register_person(ctx=ctx, data={
            "given_name_lat": "Karim", "family_name_lat": "Tazi", "given_name_ar": "كريم",
            "family_name_ar": "التازي", "birth_date": "1990-01-01"})

    with qtbot.waitSignal(shell.session.runner.finished, timeout=10_000):
        shell.session.call(change)
    assert _search(qtbot, shell.main, "Youssef") == []
    # Her Latin name changed; her Arabic name still finds her (search crosses scripts).
    assert _search(qtbot, shell.main, "Fatiha") == [fatima.id]

    monkeypatch.setattr(BackupsScreen, "ask_backup_file",
                        classmethod(lambda cls, parent, start: str(on_stick)))
    shown: list[list[tuple[str, str, str]]] = []
    monkeypatch.setattr(BackupsScreen, "ask_restore",
                        classmethod(lambda cls, parent, name, rows: shown.append(rows) or True))
    told: list[str] = []
    monkeypatch.setattr(Dialogs, "inform", classmethod(lambda cls, p, t, text: told.append(text)))
    screen = shell.main.show_section("backups")
    with qtbot.waitSignal(shell.login_shown, timeout=20_000):
        qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    # The counts were shown beside the current ones before anything changed.
    people = next(row for row in shown[0] if row[0] == "People")
    assert people == ("People", "3", "2")
    assert "was restored" in told[0]
    assert shell.session.user is None and shell.main is None
    assert list(paths.backups_dir(root).glob("jisr-before-restore-*.jisrbak"))

    # Everyone signs in again and works on the restored records.
    form = shell.login.form
    qtbot.keyClicks(form.username, "coord")
    qtbot.keyClicks(form.password, PASSWORD)
    with qtbot.waitSignal(shell.main_shown, timeout=10_000):
        qtbot.keyClick(form.password, Qt.Key.Key_Return)
    main = shell.main
    qtbot.addWidget(main)
    assert _search(qtbot, main, "Fatima") == [fatima.id]
    assert _search(qtbot, main, "Fatiha") == []
    assert _search(qtbot, main, "Youssef") == [youssef.id]
    assert _search(qtbot, main, "Karim") == []
    # And records can be written again (the worker reopened the restored database).
    with qtbot.waitSignal(shell.session.runner.finished, timeout=10_000):
        shell.session.call(lambda ctx: registry.update_person(ctx=ctx, person_id=fatima.id,
                                                              data={"phone": "0612345679"}))
    assert _search(qtbot, main, "0612345679") == [fatima.id]
    idle(qtbot, shell)


def test_restore_can_be_cancelled(qtbot, shell_factory, coordinator, fatima, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shell = shell_factory()
    root = shell.session.root
    screen = _backups_screen(qtbot, shell)
    saved = backup.make_backup(root)
    monkeypatch.setattr(BackupsScreen, "ask_backup_file", classmethod(lambda cls, parent, start: str(saved)))
    monkeypatch.setattr(BackupsScreen, "ask_restore", classmethod(lambda cls, *args: False))
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.message.text() == "Nothing was restored.", timeout=10_000)
    assert shell.main is not None and shell.session.user is not None
    assert not list(paths.backups_dir(root).glob("jisr-before-restore-*"))
    idle(qtbot, shell)


def test_the_restore_dialog_shows_counts_side_by_side(qtbot) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.ui.screens.backups import RestoreDialog, count_rows

    rows = count_rows({"person": 12, "household": 3}, {"person": 10, "household": 3})
    dialog = RestoreDialog("jisr-backup-TST01-20261128-180000.jisrbak", rows)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert [table.item(0, c).text() for c in range(3)] == ["People", "12", "10"]
    assert [table.item(table.rowCount() - 1, c).text() for c in range(3)] == ["All records", "15", "13"]
    assert "20261128" in dialog.question.text()


@pytest.mark.parametrize("role_fixture", ["receptionist", "coordinator"])
def test_only_coordinators_see_backups(qtbot, shell_factory, request, role_fixture) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role_fixture)
    shell = shell_factory()
    main = sign_in(qtbot, shell, user.username)
    assert ("backups" in main.section_keys()) == (role_fixture == "coordinator")
    title = translate("Backups")
    assert (title in [main.nav.item(i).text() for i in range(main.nav.count())]) == \
        (role_fixture == "coordinator")
    idle(qtbot, shell)

