"""`jisr enroll --server URL --code CODE` and `jisr sync` (plain words; non-zero on failure)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from jisr_desktop import errors, i18n
from jisr_desktop.cli import command
from jisr_desktop.i18n import N_


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("enroll", help="enroll this desktop with HQ (a single-use code from HQ)")
    p.add_argument("--server", required=True, help="HQ address, e.g. https://hq.example.ma")
    p.add_argument("--code", required=True, help="enrollment code, e.g. ABCD-EFGH-JKMN")
    p.add_argument("--name", help="this desktop's name at HQ (default: the computer's name)")
    p.add_argument("--pin", help="HQ's key pin (sha256:…), when the code does not carry it")
    p.add_argument("--again", action="store_true",
                   help="enroll this desktop again with a new code of its center (after HQ revoked"
                        " it); changes not yet sent are kept and sent once")
    sub.add_parser("sync", help="send this desktop's changes to HQ and receive the center's")


def check_enroll_arguments(args: argparse.Namespace) -> None:
    """Refuse a mistyped address or code before the database or the network is touched."""
    try:
        parts = urlsplit(args.server.strip())
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme not in ("https", "http") or not host:
        raise errors.JisrError(N_("The HQ address must begin with https://, for example "
                                  "https://hq.example.ma."), field="server")
    args.code = args.code.strip()
    if not args.code or not args.code.isprintable():
        raise errors.JisrError(N_("Enter the enrollment code HQ gave you, for example "
                                  "ABCD-EFGH-JKMN."), field="code")
    if args.name is not None and (not args.name.strip() or not args.name.isprintable()):
        raise errors.JisrError(N_("Give this desktop a name (letters, digits and spaces)."),
                               field="name")


@command("enroll")
def cmd_enroll(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.sync.client import SyncClient, SyncFailed

    check_enroll_arguments(args)
    client = SyncClient(open_database(root, create=True), owns_db=True)
    try:
        answer = client.enroll(args.server, args.code, args.name, again=args.again, pin=args.pin)
        report = client.sync()
    except SyncFailed as exc:
        print("jisr: " + exc.message(), file=sys.stderr)
        if exc.code == "already_enrolled":
            print(i18n._("To enroll it again with a new code of its center, add --again."),
                  file=sys.stderr)
        return 3
    finally:
        client.close()
    if args.again or report.pushed:
        print(_sent(report.pushed))
    print(i18n._("Enrolled with HQ for the center {code} ({name}).", code=answer.center.code,
                 name=answer.center.name_fr or answer.center.name_ar))
    print(_received(report.pulled))
    return 0


def _sent(n: int) -> str:
    return i18n.translate_plural("Sent {n} change to HQ.", "Sent {n} changes to HQ.", n)


def _received(n: int) -> str:
    return i18n.translate_plural("Received {n} row from HQ.", "Received {n} rows from HQ.", n)


@command("sync")
def cmd_sync(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.sync.client import MESSAGES, SyncClient, SyncFailed

    client = SyncClient.open(root)
    try:
        report = client.sync()
    except SyncFailed as exc:
        print("jisr: " + exc.message(), file=sys.stderr)
        return 3
    finally:
        client.close()
    print(_sent(report.pushed))
    print(_received(report.pulled))
    if report.rejected:
        reasons = ", ".join(sorted({r for _, r in report.rejected}))
        print(i18n.translate_plural("HQ refused {n} change (kept on this desktop): {reasons}",
                                    "HQ refused {n} changes (kept on this desktop): {reasons}",
                                    len(report.rejected), reasons=reasons))
    if report.open_conflicts:
        print(i18n.translate_plural("{n} conflict is waiting for a coordinator's review.",
                                    "{n} conflicts are waiting for a coordinator's review.",
                                    report.open_conflicts))
    for warning in report.warnings:
        print(i18n._(MESSAGES.get(warning, warning)))
    return 0
