"""`jisr export`, `export-key`, `backup` and `restore` ask for a coordinator's or an admin's
password and leave an audit entry; sign-in costs one password verification whatever the name
(services/operator.py, services/accounts.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jisr_desktop import paths
from jisr_desktop.context import Context, User
from jisr_desktop.db import backup as files
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import accounts, operator

PASSWORD = "correct horse"  # tests/fixtures.py
DEMO_PASSWORD = "jisr-demo-1\n"  # the demo accounts (jisr_desktop/cli/__init__.py)


def jisr(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JISR_")} | {"JISR_NO_KEYRING": "1"}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=120, input=stdin)


def entries(home: Path) -> list[dict]:  # type: ignore[type-arg]
    db = open_database(home)
    try:
        return operator.audit_entries(db)
    finally:
        db.close()


# --- sign-in costs the same for every name ------------------------------------------------

def _cost(fn) -> int:  # type: ignore[no-untyped-def]
    before = accounts.verifications
    with pytest.raises(accounts.SignInFailed):
        fn()
    return accounts.verifications - before


def test_sign_in_verifies_one_hash_for_unknown_known_and_inactive_names(
        coord_ctx: Context, receptionist: User) -> None:
    def attempt(name: str, password: str = "wrong password") -> None:
        accounts.sign_in(ctx=coord_ctx, username=name, password=password)

    assert _cost(lambda: attempt("nobody-by-this-name")) == 1
    assert _cost(lambda: attempt("recep")) == 1
    accounts.set_active(ctx=coord_ctx, user_id=receptionist.id, active=False)
    assert _cost(lambda: attempt("recep", PASSWORD)) == 1
    before = accounts.verifications
    assert accounts.sign_in(ctx=coord_ctx, username="coord", password=PASSWORD).username == "coord"
    assert accounts.verifications - before == 1


def test_the_dummy_hash_has_the_hasher_parameters() -> None:
    assert accounts._dummy_hash is not None
    assert not accounts._hasher.check_needs_rehash(accounts._dummy_hash)
    assert accounts.check_password(None, "") is False


# --- who may run an operation ---------------------------------------------------------------

def test_only_a_coordinator_or_admin_with_the_right_password(coord_ctx: Context, receptionist: User,
                                                             coordinator: User) -> None:
    db = coord_ctx.db
    with pytest.raises(operator.NotAnOperator) as refused:
        operator.authorize(db, username="recep", password=PASSWORD)
    assert "recep" in refused.value.message("fr")
    with pytest.raises(accounts.SignInFailed):
        operator.authorize(db, username="coord", password="wrong")
    failed = db.execute("SELECT failed_attempts FROM user_account WHERE username = 'coord'").fetchone()[0]
    assert failed == 1  # the sign-in window's slow-down counts these attempts too
    ctx = operator.authorize(db, username="coord", password=PASSWORD)
    assert ctx.user.id == coordinator.id
    operator.record(ctx, "export", what="persons", path="/usb/p.csv")
    (entry,) = operator.audit_entries(db)
    assert entry["user_id"] == coordinator.id and entry["action"] == "export"
    assert entry["changes"]["path"] == [None, "/usb/p.csv"]


def test_a_database_without_an_operator_account_is_refused(system_ctx: Context, receptionist: User) -> None:
    with pytest.raises(operator.NoOperatorAccount):
        operator.authorize(system_ctx.db, username="recep", password=PASSWORD)


# --- through the real command ----------------------------------------------------------------

@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("operator") / "home"
    assert jisr(home, "demo", "--persons", "8", "--seed", "4").returncode == 0
    return home


def test_export_without_a_user_is_refused_in_one_line(center: Path, tmp_path: Path) -> None:
    out = jisr(center, "export", "persons", "-o", str(tmp_path / "p.csv"))
    assert out.returncode == 2 and len(out.stderr.splitlines()) == 1
    assert "--user NAME" in out.stderr and not (tmp_path / "p.csv").exists()


def test_a_receptionist_or_a_wrong_password_exports_nothing(center: Path, tmp_path: Path) -> None:
    target = tmp_path / "p.csv"
    out = jisr(center, "export", "persons", "-o", str(target), "--user", "reception", stdin=DEMO_PASSWORD)
    assert out.returncode == 2 and "Only a coordinator or an admin" in out.stderr
    out = jisr(center, "export", "persons", "-o", str(target), "--user", "coordinator", stdin="guess\n")
    assert out.returncode == 2 and "Wrong user name or password." in out.stderr
    out = jisr(center, "backup", "--user", "nobody", stdin="guess\n")
    assert out.returncode == 2 and "Wrong user name or password." in out.stderr
    assert not target.exists() and not paths.backups_dir(center).exists()


def test_export_backup_and_export_key_are_audited(center: Path, tmp_path: Path) -> None:
    coordinator = ("--user", "coordinator")
    target = tmp_path / "p.csv"
    assert jisr(center, "export", "persons", "-o", str(target), *coordinator,
                stdin=DEMO_PASSWORD).returncode == 0
    made = jisr(center, "backup", "--to", str(tmp_path), *coordinator, stdin=DEMO_PASSWORD)
    assert made.returncode == 0, made.stderr
    assert jisr(center, "export-key", "--to", str(tmp_path / "jisr.key"), *coordinator,
                stdin=DEMO_PASSWORD).returncode == 0
    db = open_database(center)
    uid = db.execute("SELECT id FROM user_account WHERE username = 'coordinator'").fetchone()[0]
    db.close()
    logged = [(e["action"], e["user_id"]) for e in entries(center)]
    assert logged[-3:] == [("export", uid), ("backup", uid), ("export_key", uid)]
    assert entries(center)[-3]["changes"]["rows"] == [None, 8]


def test_restore_is_audited_and_a_new_pc_asks_the_backup_accounts(center: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    assert jisr(center, "backup", "--to", str(usb), "--user", "coordinator",
                stdin=DEMO_PASSWORD).returncode == 0
    (backup_file,) = usb.glob("*.jisrbak")
    key = paths.key_file_path(center)
    new_pc = tmp_path / "new-pc"
    refused = jisr(new_pc, "restore", str(backup_file), "--yes", "--key-file", str(key),
                   "--user", "reception", stdin=DEMO_PASSWORD)
    assert refused.returncode == 2 and "Only a coordinator or an admin" in refused.stderr
    assert not paths.database_path(new_pc).exists()
    wrong = jisr(new_pc, "restore", str(backup_file), "--yes", "--key-file", str(key),
                 "--user", "coordinator", stdin="guess\n")
    assert wrong.returncode == 2 and "Wrong user name or password." in wrong.stderr
    done = jisr(new_pc, "restore", str(backup_file), "--yes", "--key-file", str(key),
                "--user", "coordinator", stdin=DEMO_PASSWORD)
    assert done.returncode == 0, done.stderr
    assert entries(new_pc)[-1]["action"] == "restore"
    assert entries(new_pc)[-1]["changes"]["path"] == [None, str(backup_file)]


def test_the_backup_accounts_are_read_without_writing(center: Path, tmp_path: Path) -> None:
    assert jisr(center, "backup", "--to", str(tmp_path), "--user", "coordinator",
                stdin=DEMO_PASSWORD).returncode == 0
    (backup_file,) = tmp_path.glob("*.jisrbak")
    before = backup_file.read_bytes()
    key_hex = paths.key_file_path(center).read_text().strip()
    with pytest.raises(accounts.SignInFailed):
        operator.authorize_in_backup(backup_file, key_hex, username="coordinator", password="guess")
    user = operator.authorize_in_backup(backup_file, key_hex, username="coordinator",
                                        password=DEMO_PASSWORD.strip())
    assert user.role == "coordinator"
    assert backup_file.read_bytes() == before
    assert files.inspect(backup_file, key_hex).counts["person"] == 8
