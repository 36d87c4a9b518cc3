"""Desktop-side recovery against a real HQ subprocess: restore from backup (docs/sync.md, guarantee 8), a revoked
device (21), a stale cursor (15), a lost acknowledgement (4, resend from HQ's expected seq),
an HQ that asks for an update, and the CLI. HQ runs on SQLite and on PostgreSQL (`hq`)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import jisr_protocol as p
from jisr_desktop import ledger
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import backup, registry
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync.client import SyncFailed
from jisr_desktop.sync.transport import SyncTransport
from tests.hq.hqkit import REPO, HqServer
from tests.sync.deskkit import Desk, assert_same_as_hq, hq_content, hq_execute


def _register(desk: Desk, given: str) -> str:
    return registry.register_person(ctx=desk.ctx(), data={
        "given_name_lat": given, "family_name_lat": desk.name}).id


def _persons(desk: Desk) -> set[str]:
    return set(desk.content()["person"])


def test_restore_from_backup_starts_a_new_epoch_and_loses_nothing(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    _code, codes = hq.new_center(codes=2)
    a, b = desks("A"), desks("B", local_center=False)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    before = {_register(a, "Before")}
    a.sync()
    saved = backup.make_backup(a.home)
    after = {_register(a, "After1"), _register(a, "After2")}
    a.sync()  # HQ now has ops of epoch 1 beyond the backup's outbox
    a.db.close()
    result = backup.restore(a.home, saved)
    assert result.epoch == 2
    a.db = open_database(a.home)
    assert _persons(a) == before  # the backup predates the later work
    new = {_register(a, "New")}  # seq 1 of epoch 2: never mistaken for an old op
    report = a.sync()
    assert not report.rejected
    assert _persons(a) == before | after | new  # the later work came back from HQ
    b.sync()
    assert _persons(b) == before | after | new
    assert a.content() == b.content()
    ids = {k for k in hq_content(hq) if k[1] in before | after | new}
    assert_same_as_hq(a, hq, ids)
    epochs = hq.query("SELECT epoch, high_water FROM jisr_hq_stream WHERE device_id = ?",
                      hq.uid(sync_client.state(a.db).device_id))
    assert sorted(e for e, _ in epochs) == [1, 2]


def test_revoked_device_is_refused_and_keeps_its_data(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    _code, codes = hq.new_center(codes=1)
    a = desks("A")
    a.enroll(hq, codes[0])
    first = _register(a, "Synced")
    a.sync()
    pending = _register(a, "Pending")
    hq.cli("revoke-device", sync_client.state(a.db).device_id)
    with pytest.raises(SyncFailed) as failed:
        a.sync()
    assert failed.value.code == "device_revoked"
    assert "revoked" in failed.value.message()
    assert _persons(a) == {first, pending}
    assert ledger.pending_count(a.db) == 1
    st = sync_client.state(a.db)
    assert st.last_error_code == "device_revoked" and st.enrolled


def test_stale_cursor_rebootstraps(hq: HqServer, desks: Callable[..., Desk]) -> None:
    _code, codes = hq.new_center(codes=2)
    a, b = desks("A"), desks("B", local_center=False)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    ids = {_register(a, f"P{i}") for i in range(3)}
    a.sync()
    b.sync()
    b.db.execute("UPDATE person SET given_name_lat = 'lost', rev = rev + 1")  # drift
    b.db.execute("UPDATE sync_state SET cursor = '1.0.1.0'")
    center_id = sync_client.state(b.db).device_id and b.db.execute(
        "SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0]
    hq_execute(hq, "UPDATE jisr_hq_changecounter SET purged_through = 2 WHERE center_id = ?",
               hq.uid(center_id))
    report = b.sync()
    assert "rebootstrap" in report.warnings
    assert _persons(b) == ids
    assert a.content()["person"] == b.content()["person"]


def test_lost_acknowledgement_resends_from_expected_seq(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    _code, codes = hq.new_center(codes=1)
    a = desks("A")
    a.enroll(hq, codes[0])
    ids = {_register(a, f"P{i}") for i in range(4)}
    a.sync()
    # the answer of a push was lost: the desktop resends ops HQ has (skipped as identical)
    a.db.execute("UPDATE sync_acked SET acked_through = 1")
    _register(a, "Later")  # seq 5
    assert not a.sync().rejected
    # the desktop believes HQ has more than it has: HQ answers 409 with the expected seq
    _register(a, "Last1")  # seq 6
    _register(a, "Last2")  # seq 7
    a.db.execute("UPDATE sync_acked SET acked_through = 6")
    report = a.sync()
    assert report.pushed == 2 and not report.rejected
    assert ledger.pending_count(a.db) == 0
    assert len(ids) + 3 == hq.scalar(
        "SELECT count(*) FROM jisr_hq_record WHERE entity = 'person' AND center_id = ?",
        hq.uid(a.db.execute("SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0]))


class OldTransport(SyncTransport):
    """A desktop speaking a protocol older than HQ's oldest pull version."""

    def _headers(self, auth: bool) -> dict[str, str]:
        return {**super()._headers(auth), p.PROTOCOL_HEADER: "0"}


def test_please_update_is_plain(hq: HqServer, desks: Callable[..., Desk]) -> None:
    _code, codes = hq.new_center(codes=1)
    a = desks("A")
    a.enroll(hq, codes[0])
    _register(a, "Kept")
    client = sync_client.SyncClient(a.db, clock=a.clock, transport_factory=OldTransport)
    with pytest.raises(SyncFailed) as failed:
        client.sync()
    assert failed.value.code == "please_update"
    assert "update" in failed.value.message()
    assert ledger.pending_count(a.db) == 0  # pushes from old desktops are still accepted


def _jisr(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en",
                           *args], capture_output=True, text=True, timeout=120, cwd=REPO)


def test_cli_enroll_and_sync(hq: HqServer, tmp_path: Path) -> None:
    code, codes = hq.new_center(codes=2)
    home = tmp_path / "cli"
    assert _jisr(home, "sync").returncode != 0  # no database yet
    bad = _jisr(home, "enroll", "--server", hq.base_url, "--code", "WRONG-CODE-0000")
    assert bad.returncode == 3 and "enrollment code" in bad.stderr
    done = _jisr(home, "enroll", "--server", hq.base_url, "--code", codes[0])
    assert done.returncode == 0, done.stderr
    assert code in done.stdout
    again = _jisr(home, "sync")
    assert again.returncode == 0, again.stderr
    assert "Sent 0 changes" in again.stdout
    hq.stop()
    try:
        down = _jisr(home, "sync")
        assert down.returncode == 3 and "cannot be reached" in down.stderr
    finally:
        hq.start()


def test_reference_data_and_staff_accounts_arrive(hq: HqServer, desks: Callable[..., Desk]) -> None:
    """Centers, programs, workshop categories and the center's staff (argon2 hash) come
    down; a staff member then signs in offline on the desktop, and HQ's later changes land."""
    from jisr_desktop.services import accounts

    code, codes = hq.new_center(codes=1)
    staff_id = hq.cli("add-staff", "--username", f"amal-{code.lower()}", "--role", "coordinator",
                      "--center", code, "--full-name", "Amal", "--password",
                      "hq-password-1").stdout.strip()
    a = desks("A")
    a.enroll(hq, codes[0])
    a.sync()
    row = a.db.execute("SELECT username, role, source, center_id, display_name FROM user_account"
                       " WHERE id = ?", [staff_id]).fetchone()
    center_id = a.db.execute("SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0]
    assert row == (f"amal-{code.lower()}", "coordinator", "hq", center_id, "Amal")
    user = accounts.sign_in(ctx=a.ctx(), username=f"amal-{code.lower()}", password="hq-password-1")
    assert user.id == staff_id and user.role == "coordinator"
    assert a.db.execute("SELECT code FROM center WHERE id = ?", [center_id]).fetchone() == (code,)
    programs = {r[0] for r in a.db.execute("SELECT code FROM program").fetchall()}
    assert {"rsu", "amo_tadamon", "forsa", "other"} <= programs
    assert a.db.execute("SELECT name_ar FROM workshop_category WHERE code = 'crafts'"
                        ).fetchone() == ("الحرف اليدوية",)  # HQ's wording replaced the seed
    # work recorded by that HQ account is accepted at HQ (a member of the center)
    registry.register_person(ctx=a.ctx(user), data={"given_name_lat": "By", "family_name_lat": "Amal"})
    assert not a.sync().rejected


def test_clock_far_from_hq_warns_but_pushes(hq: HqServer, desks: Callable[..., Desk]) -> None:
    from datetime import UTC, datetime

    _code, codes = hq.new_center(codes=2)
    slow = desks("slow")  # the test clock is weeks behind HQ's real clock
    on_time = desks("ontime", local_center=False, start=datetime.now(UTC))
    slow.enroll(hq, codes[0])
    on_time.enroll(hq, codes[1])
    _register(slow, "Late")
    report = slow.sync()
    assert "clock_skew" in report.warnings and report.pushed == 1 and not report.rejected
    assert sync_client.state(slow.db).last_error_code == "clock_skew"
    assert "clock" in SyncFailed("clock_skew").message()
    assert "clock_skew" not in on_time.sync().warnings
    assert len(_persons(on_time)) == 1
