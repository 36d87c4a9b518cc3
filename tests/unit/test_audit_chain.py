"""The audit log is tamper evident (docs/privacy.md, "Security"): every entry is chained to the
one before by a hash; a modified, removed or inserted entry is found with its position, by
`verify_chain` and by `jisr check`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from jisr_desktop import paths
from jisr_desktop.context import Context
from jisr_desktop.db import audit
from jisr_desktop.services import accounts, case_notes, registry


def _people(ctx: Context, n: int) -> None:
    for i in range(n):
        registry.register_person(ctx=ctx, data={"given_name_lat": f"P{i}", "family_name_lat": "T"})


def test_an_intact_chain_verifies(system_ctx: Context) -> None:
    _people(system_ctx, 3)
    couns = accounts.create_account(ctx=system_ctx, username="c", display_name="C",
                                    role="counsellor", password="correct horse")
    cctx = Context(db=system_ctx.db, user=couns, clock=system_ctx.clock)
    person = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Amina"})
    # a case note's entry is redacted as it is written, so the redaction keeps the chain
    case_notes.save_counselling_note(ctx=cctx, person_id=person.id, session_date=date(2026, 11, 2),
                                     topic="marital", note="secret words")
    report = audit.verify_chain(system_ctx.db)
    assert report.ok and report.entries >= 5
    last = system_ctx.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert report.head == last[0]
    assert "secret" not in str(system_ctx.db.execute("SELECT changes FROM audit_log").fetchall())


def test_a_modified_entry_is_found_with_its_position(system_ctx: Context) -> None:
    _people(system_ctx, 5)
    db = system_ctx.db
    ids = [r[0] for r in db.execute("SELECT id FROM audit_log ORDER BY id").fetchall()]
    target = ids[3]
    db.execute("UPDATE audit_log SET user_id = 'someone-else' WHERE id = ?", [target])
    report = audit.verify_chain(db)
    assert (report.broken_at, report.broken_id, report.reason) == (4, target, "modified")


def test_a_removed_entry_breaks_the_next_link(system_ctx: Context) -> None:
    _people(system_ctx, 4)
    db = system_ctx.db
    ids = [r[0] for r in db.execute("SELECT id FROM audit_log ORDER BY id").fetchall()]
    db.execute("DELETE FROM audit_log WHERE id = ?", [ids[1]])
    report = audit.verify_chain(db)
    assert (report.broken_at, report.broken_id, report.reason) == (2, ids[2], "unlinked")


def test_a_rehashed_forgery_is_still_found(system_ctx: Context) -> None:
    """Rewriting an entry and its own hash leaves the next entry's link pointing at the old one."""
    _people(system_ctx, 4)
    db = system_ctx.db
    row = db.execute("SELECT id, at, user_id, action, entity, entity_id, changes, prev_hash"
                     " FROM audit_log ORDER BY id LIMIT 1 OFFSET 1").fetchone()
    forged = audit.entry_hash(row[7], row[0], row[1], "intruder", *row[3:7])
    db.execute("UPDATE audit_log SET user_id = 'intruder', hash = ? WHERE id = ?", [forged, row[0]])
    report = audit.verify_chain(db)
    assert report.broken_at == 3 and report.reason == "unlinked"


def test_jisr_check_names_the_first_broken_link(tmp_path: Path) -> None:
    home = tmp_path / "home"

    def jisr(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home),
                               "--lang", "en", *args], env={**os.environ, "JISR_NO_KEYRING": "1"},
                              capture_output=True, text=True, timeout=300)

    assert jisr("init", "--code", "rbt01", "--name-ar", "فضاء", "--province", "04.421").returncode == 0
    assert jisr("demo", "--persons", "5", "--seed", "7").returncode == 0
    ok = jisr("check")
    assert ok.returncode == 0 and "chain intact" in ok.stdout, ok.stdout + ok.stderr
    from jisr_desktop.db.connection import open_database

    db = open_database(home)
    try:
        victim = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 6").fetchone()[0]
        with db.conn:
            db.execute("UPDATE audit_log SET changes = '{}' WHERE id = ?", [victim])
    finally:
        db.close()
    bad = jisr("check")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert f"broken at entry 7 (id {victim})" in bad.stdout and "modified" in bad.stdout
    assert paths.database_path(home).exists()
