"""The `jisr` command: the GUI by default, headless commands for everything else.

The printouts' and sync's commands are in `cli.reports` and `cli.sync` (this package is the
top layer: it may import every other one, and no layer imports it).

Every command prints one clear line on a known error and exits non-zero; a bug is logged
with its traceback in the data root's log file and reported as one line.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from jisr_desktop import __version__, errors, i18n, paths
from jisr_desktop.log import setup_logging
from jisr_desktop.settings import Settings

log = logging.getLogger("jisr.cli")

DEMO_CENTER = {"code": "DEMO", "name_fr": "Espace Jisr al-Usra (démo)",
               "name_ar": "فضاء جسر الأسرة (تجريبي)", "province_code": "04.421"}
DEMO_ACCOUNTS = (("coordinator", "Coordinatrice", "coordinator", "jisr-demo-1"),
                 ("reception", "Accueil", "receptionist", "jisr-demo-1"))

Handler = Callable[[argparse.Namespace, Path], int]
COMMANDS: dict[str, Handler] = {}
T = TypeVar("T")


class Parser(argparse.ArgumentParser):
    """A usage mistake is one line too (``jisr report: argument --month: …``), exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def output_file(text: str, *, example: str) -> Path:
    """The file a command is told to write (``-o``, ``--to``): refused at once, before any
    work, when it names a folder or lies in a folder that does not exist."""
    out = Path(text)
    if out.is_dir():
        raise errors.IsAFolder(path=str(out), example=str(out / example))
    if not out.parent.is_dir():
        raise errors.FolderMissing(path=str(out.parent))
    return out


def write_through(out: Path, write: Callable[[Path], T]) -> T:
    """Write `out` by `write(temporary)` then a rename: a failed write leaves no half file
    and is one clear line (`CannotWrite`), not a traceback."""
    partial = out.with_name(out.name + ".partial")
    try:
        result = write(partial)
        os.replace(partial, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise errors.CannotWrite(path=str(out), reason=exc.strerror or type(exc).__name__) from None
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return result


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn
    return register


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="jisr", description="Jisr Desktop: records of a Jisr al-Usra center.")
    parser.add_argument("--version", action="version", version=f"jisr {__version__}")
    parser.add_argument("--home", help="data root (default: $JISR_HOME or the platform's data folder)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="language of messages")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation in a temporary data root, then exit")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help="create this center's encrypted database")
    p.add_argument("--code", help="center code, e.g. RBT01 (creates the center too)")
    p.add_argument("--name-ar", default="", help="center name in Arabic")
    p.add_argument("--name-fr", default="", help="center name in French")
    p.add_argument("--province", help="province code from the reference list, e.g. 04.421")

    p = sub.add_parser("demo", help="fill a database with demo families (creates a demo center if none)")
    p.add_argument("--persons", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--if-empty", action="store_true", help="only when the registry is empty")

    p = sub.add_parser("search", help="find persons by name (Arabic or Latin), CIN, phone or file number")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20)

    p = sub.add_parser("backup", help="back up the database (into the data root's backups, or --to a folder)")
    p.add_argument("--to", metavar="DIR", help="folder to write the backup to, e.g. a USB stick")
    operator_option(p)

    p = sub.add_parser("restore", help="replace the database by a checked backup (shows its record counts first)")
    p.add_argument("file", help="the backup file (.jisrbak)")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing the database")
    p.add_argument("--key-file", metavar="FILE",
                   help="the jisr.key of the PC that made the backup (restoring onto a new PC)")
    operator_option(p)

    p = sub.add_parser("export-key", help="copy the database key to a file, to restore backups on another PC")
    p.add_argument("--to", metavar="FILE", required=True, help="file (or folder) to write the key to")
    operator_option(p)

    # roster, report, export, card-sheet, certificate, consent (jisr_desktop/cli/reports.py)
    from jisr_desktop.cli import reports

    reports.add_parsers(sub)

    from jisr_desktop.cli import sync  # enroll, sync (jisr_desktop/cli/sync.py)

    sync.add_parsers(sub)

    from jisr_desktop.cli import privacy  # person-export, purge, legal-hold (cli/privacy.py)

    privacy.add_parsers(sub)

    sub.add_parser("check", help="integrity check and migration state")
    return parser


def _language(home: str | None, lang: str | None) -> str:
    root = paths.data_root(home)
    settings = Settings(root) if root.exists() else None
    return lang or (settings["language"] if settings else i18n.DEFAULT_LANGUAGE)


def _program_options(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """``--home`` and ``--lang`` given before the command (the command's own ``--lang`` is a
    document's language), read before parsing so that usage errors are in that language."""
    home = lang = None
    tokens = iter(argv)
    for token in tokens:
        name, _, value = token.partition("=")
        if name in ("--home", "--lang"):
            value = value or next(tokens, "")
            home, lang = (value, lang) if name == "--home" else (home, value)
        elif not token.startswith("-"):
            break
    return home, lang if lang in i18n.LANGUAGES else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    with contextlib.suppress(Exception):  # a bad --home is reported by the command itself
        i18n.set_language(_language(*_program_options(argv)))
    args = build_parser().parse_args(argv)
    logging.raiseExceptions = False  # a full disk must not print the log's own tracebacks
    if args.self_test:
        from jisr_desktop.selftest import run_self_test

        return run_self_test()
    root = paths.data_root(args.home)
    i18n.set_language(_language(args.home, args.lang))
    if root.exists() or args.command in {"init", "demo", None}:
        try:
            root.mkdir(parents=True, exist_ok=True)
            setup_logging(root)
        except OSError:
            pass
    handler = COMMANDS.get(args.command or "gui")
    assert handler is not None
    try:
        return handler(args, root)
    except errors.JisrError as exc:
        print("jisr: " + exc.message(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        mapped = _sqlite_error(exc)
        if mapped is not None:  # a damaged page or a full disk met after the database opened
            log.warning("command %s: %s", args.command, exc)
            print("jisr: " + mapped.message(), file=sys.stderr)
            return 2
        log.exception("unexpected error in command %s", args.command)
        message = i18n._("An unexpected error happened; details are in the log file.")
        print("jisr: " + message, file=sys.stderr)
        return 1


def operator_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="NAME",
                   help="a coordinator's or admin's user name (asked when omitted); the password"
                        " is asked, or read from the first line of the standard input when it is"
                        " not a terminal")


def ask_operator(args: argparse.Namespace) -> tuple[str, str]:
    """The user name and password of the coordinator or admin running an operation
    (docs/operations.md, "Who may run an operation")."""
    interactive = sys.stdin is not None and sys.stdin.isatty()
    username = (getattr(args, "user", None) or "").strip()
    if not username:
        if not interactive:
            raise errors.JisrError(i18n.N_(
                "This command needs a coordinator's or an admin's password: give the user name "
                "with --user NAME and the password on the first line of the standard input."))
        username = input(i18n._("User name (coordinator or admin): ")).strip()
    if interactive:
        password = getpass.getpass(i18n._("Password of {user}: ", user=username))
    else:
        password = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    return username, password


def operator_context(args: argparse.Namespace, db):  # type: ignore[no-untyped-def]
    """A context acting as the coordinator or admin who gave their password."""
    from jisr_desktop.services import operator

    username, password = ask_operator(args)
    return operator.authorize(db, username=username, password=password)


def _sqlite_error(exc: BaseException) -> errors.JisrError | None:
    from jisr_desktop.db.connection import Error, error_for

    return error_for(exc) if isinstance(exc, Error) else None


def _system_context(root: Path, *, create: bool = False):  # type: ignore[no-untyped-def]
    from jisr_desktop.context import SYSTEM_USER, Context
    from jisr_desktop.db.connection import open_database

    return Context(db=open_database(root, create=create), user=SYSTEM_USER)


@command("init")
def cmd_init(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.services.center import create_center

    if paths.database_path(root).exists():
        raise errors.JisrError(i18n.N_("A database already exists at {path}."),
                               path=str(paths.database_path(root)))
    ctx = _system_context(root, create=True)
    if args.code:
        create_center(ctx=ctx, code=args.code, name_fr=args.name_fr, name_ar=args.name_ar,
                      province_code=args.province)
    print(i18n._("Created the database {path}.", path=str(paths.database_path(root))))
    return 0


def ensure_demo_center(ctx) -> None:  # type: ignore[no-untyped-def]
    """A demo center when the database has no center yet, and two demo accounts when it has
    no account yet (a coordinator's password is what `jisr backup` … ask for)."""
    from jisr_desktop.services import accounts
    from jisr_desktop.services.center import create_center, current_center

    center = current_center(ctx.db) or create_center(ctx=ctx, **DEMO_CENTER)
    if not accounts.has_accounts(ctx.db):
        for username, display, role, password in DEMO_ACCOUNTS:
            accounts.create_account(ctx=ctx, username=username, display_name=display, role=role,
                                    password=password, center_id=center.id)


@command("demo")
def cmd_demo(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.services.demo import make_demo

    ctx = _system_context(root, create=True)
    ensure_demo_center(ctx)
    if args.if_empty and ctx.db.execute("SELECT 1 FROM person LIMIT 1").fetchone():
        return 0
    made = make_demo(ctx=ctx, persons=args.persons, seed=args.seed)
    print(i18n.translate_plural("Added {n} demo person.", "Added {n} demo persons.", made))
    return 0


@command("search")
def cmd_search(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.domain.person import format_phone
    from jisr_desktop.services.registry import search_persons

    ctx = _system_context(root)
    for person in search_persons(ctx=ctx, text=args.text, limit=args.limit):
        born = person.birth_date.isoformat() if person.birth_date else (str(person.birth_year or ""))
        print("\t".join([person.file_no, person.display_name_ar, person.display_name_lat, born,
                         person.cin or "", format_phone(person.phone)]))
    return 0


@command("check")
def cmd_check(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db import migrations
    from jisr_desktop.db.connection import Error, open_database

    path = paths.database_path(root)
    db = open_database(root, migrate=False)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
    except Error as exc:  # a page that fails its check stops SQLite's own check
        log.warning("integrity check of %s: %s", path, exc)
        raise errors.DatabaseDamaged(path=str(path)) from None
    applied, pending = migrations.applied_names(db), migrations.pending_names(db)
    print(i18n._("Integrity: {result}", result=result))
    print(i18n._("Migrations applied: {n}; pending: {pending}", n=len(applied),
                 pending=", ".join(pending) or "-"))
    return 0 if result == "ok" and not fk and _check_audit_chain(db) else 1


def _check_audit_chain(db: object) -> bool:
    """`jisr check`: the audit log's hash chain holds, or the first broken link is named."""
    from jisr_desktop.db import audit

    if not audit.has_chain(db):  # type: ignore[arg-type]
        return True  # not migrated yet: the migration chains the entries
    report = audit.verify_chain(db)  # type: ignore[arg-type]
    if report.ok:
        print(i18n._("Audit log: {n} entries, chain intact", n=report.entries))
        return True
    print(i18n._("Audit log: the chain is broken at entry {position} (id {id}): {why}",
                 position=report.broken_at, id=report.broken_id,
                 why=i18n._("this entry was modified") if report.reason == "modified"
                 else i18n._("an entry before it was removed, inserted or altered")))
    return False


@command("gui")
def cmd_gui(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.ui.app import run_gui

    return run_gui(root)


@command("backup")
def cmd_backup(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import backup, operator

    if args.to and not Path(args.to).is_dir():
        raise errors.FolderMissing(path=args.to)
    db = open_database(root)
    try:
        ctx = operator_context(args, db)
        made = backup.backup_to_folder(root, Path(args.to)) if args.to else backup.make_backup(root)
        operator.record(ctx, "backup", path=str(made))
    finally:
        db.close()
    print(i18n._("Backed up to {path}.", path=str(made)))
    return 0


@command("export-key")
def cmd_export_key(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db import keys
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import operator

    destination = Path(args.to)
    if not destination.is_dir() and not destination.parent.is_dir():
        raise errors.FolderMissing(path=str(destination.parent))
    db = open_database(root)
    try:
        ctx = operator_context(args, db)
        try:
            written = keys.export_key(root, destination)
        except FileExistsError:
            raise errors.JisrError(i18n.N_("{path} exists already; choose another name."),
                                   path=args.to) from None
        except OSError:
            raise errors.ReadOnlyLocation(path=args.to) from None
        operator.record(ctx, "export_key", path=str(written))
    finally:
        db.close()
    print(i18n._("The key was written to {path}. Keep it apart from the backups, in a safe place: "
                 "whoever has both can read the records.", path=str(written)))
    return 0


@command("restore")
def cmd_restore(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.context import Context
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import backup, operator

    source = Path(args.file)
    key_hex = backup.read_key_file(Path(args.key_file)) if args.key_file else None
    info = backup.preview_restore(root, source, key_hex=key_hex)
    user = _restore_operator(args, root, source, key_hex)
    current = backup.current_counts(root) or {}
    print(i18n._("The backup {path} passed the integrity check. Records in it (now):",
                 path=str(source)))
    for table, count in sorted(info.counts.items()):
        print(f"  {table}\t{count}\t({current.get(table, '-')})")
    if not args.yes:
        try:
            answer = input(i18n._("Replace the current database with this backup? [y/N] "))
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"y", "yes", "o", "oui", "ن", "نعم"}:
            print(i18n._("Nothing was changed."))
            return 1
    result = backup.restore(root, source, key_hex=key_hex)
    db = open_database(root)
    try:
        operator.record(Context(db=db, user=user), "restore", path=str(source), epoch=result.epoch)
    finally:
        db.close()
    print(i18n._("Restored {path}; this PC now syncs as epoch {epoch}.", path=str(source),
                 epoch=result.epoch))
    if result.safety_copy is not None:
        print(i18n._("The replaced database was kept as {path}.", path=str(result.safety_copy)))
    return 0


def _restore_operator(args: argparse.Namespace, root: Path, source: Path, key_hex: str | None):  # type: ignore[no-untyped-def]
    """Who runs a restore: a coordinator or admin of the current database, or of the backup
    when there is no current database or it cannot be opened (services/operator.py)."""
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import backup, operator

    try:
        db = open_database(root, migrate=False)
    except (errors.DatabaseMissing, errors.DatabaseEmpty, errors.DatabaseLocked):
        source_hex = key_hex or backup.backup_key(root)
        username, password = ask_operator(args)
        return operator.authorize_in_backup(source, source_hex, username=username, password=password)
    try:
        return operator_context(args, db).user
    finally:
        db.close()
