"""`jisr person-export`, `jisr purge` and `jisr legal-hold`: the right of access and the
retention of law 09-08, headless (registered by `cli.build_parser`; docs/privacy.md).

Each asks the password of the staff member running it (``--user``; read from the first line of
the standard input when it is not a terminal) and leaves an entry in the audit log.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jisr_desktop import errors, i18n
from jisr_desktop.cli import ask_operator, command, operator_context, operator_option, output_file
from jisr_desktop.cli import write_through as _write_through
from jisr_desktop.i18n import N_

DOC_LANGUAGES = ("ar", "fr")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("person-export", help="everything held about a person: a readable PDF in"
                                             " her language and a JSON file (law 09-08, access)")
    p.add_argument("person", metavar="PERSON", help="the person's id or file number")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the PDF to write (the JSON file is written beside it, FILE.json)")
    p.add_argument("--json", metavar="FILE", help="where to write the JSON file instead")
    p.add_argument("--lang", dest="doc_lang", choices=DOC_LANGUAGES,
                   help="language of the PDF (default: the person's: Arabic when her name is"
                        " written in Arabic, else French)")
    p.add_argument("--user", metavar="NAME",
                   help="a coordinator's, an admin's or a counsellor's user name (only a"
                        " counsellor's export holds the sealed counselling content)")

    p = sub.add_parser("purge", help="remove what is past its retention period (law 09-08):"
                                     " --preview shows what would go")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--preview", action="store_true", help="only show what would go, by"
                                                             " category and count")
    what.add_argument("--yes", action="store_true", help="remove it (a coordinator's password)")
    p.add_argument("--sealed", action="store_true",
                   help="the sealed counselling content instead (a counsellor's password)")
    p.add_argument("--user", metavar="NAME",
                   help="a coordinator's or admin's user name (with --sealed: a counsellor's);"
                        " the password is asked, or read from the first line of the standard"
                        " input when it is not a terminal")

    p = sub.add_parser("legal-hold", help="keep every record of a person out of any purge"
                                          " (or --lift the hold)")
    p.add_argument("person", metavar="PERSON", help="the person's id or file number")
    p.add_argument("--reason", default="", help="why the records must be kept")
    p.add_argument("--lift", action="store_true", help="lift the hold")
    operator_option(p)


def _person_id(db, given: str) -> str:  # type: ignore[no-untyped-def]
    row = db.execute("SELECT id FROM person WHERE (id = ? OR file_no = ?) AND deleted = 0",
                     [given, given]).fetchone()
    if row is None:
        raise errors.NotFound(N_("No person has the id or file number “{id}”: nothing was "
                                 "exported."), id=given)
    return str(row[0])


@command("person-export")
def cmd_person_export(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import access

    pdf = output_file(args.output, example="person.pdf")
    json_file = output_file(args.json, example="person.json") if args.json else \
        pdf.with_suffix(".json")
    db = open_database(root)
    try:
        username, password = ask_operator(args)
        ctx = access.authorize_reader(db, username=username, password=password)
        export = access.export_person(ctx=ctx, person_id=_person_id(db, args.person), pdf=pdf,
                                     json_file=json_file, lang=args.doc_lang,
                                     write=_write_through)
    finally:
        db.close()
    print(i18n.translate_plural("Wrote {pdf} and {json} ({n} record).",
                                "Wrote {pdf} and {json} ({n} records).", export.record_count(),
                                pdf=str(pdf), json=str(json_file)))
    withheld = sum(export.sealed_counts.values())
    if withheld and not export.sealed_included:
        print(i18n._("{count} sealed counselling entries exist about this person: only a "
                     "counsellor's export holds them.", count=withheld))
    return 0


def _print_plan(plan) -> None:  # type: ignore[no-untyped-def]
    from jisr_desktop.services.purge import CATEGORY_LABELS, KEPT_LABELS

    counts = plan.counts()
    if not counts:
        print(i18n._("Nothing is past its retention period."))
    for category, n in counts.items():
        print(f"  {i18n._(CATEGORY_LABELS[category])}: {n}")
    for reason, n in sorted(plan.kept.items()):
        if n:
            print(f"  {i18n._(KEPT_LABELS[reason])}: {n}")


@command("purge")
def cmd_purge(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import purge
    from jisr_desktop.settings import Settings

    db = open_database(root)
    try:
        months = purge.periods(Settings(root))
        if args.sealed:
            ctx = _counsellor_context(args, db)
            preview, run = purge.preview_sealed, purge.purge_sealed
        else:
            ctx = operator_context(args, db)
            preview, run = purge.preview, purge.purge
        if args.preview:
            plan = preview(ctx=ctx, months=months)
            print(i18n._("A purge today would remove:"))
            _print_plan(plan)
            return 0
        plan = run(ctx=ctx, months=months)
    finally:
        db.close()
    print(i18n.translate_plural("Removed {n} record past its retention period.",
                                "Removed {n} records past their retention period.",
                                len(plan.doomed)))
    _print_plan(plan)
    return 0


class NotACounsellor(errors.JisrError):
    msgid = N_("Only a counsellor can remove sealed counselling content; {user} is not one. "
               "Nothing was done.")


def _counsellor_context(args: argparse.Namespace, db):  # type: ignore[no-untyped-def]
    """A counsellor who gave her password, with her key for sealed notes unlocked when this
    desktop holds it (her ops are signed now, or at her next sign-in)."""
    from jisr_desktop.context import SYSTEM_USER, Context
    from jisr_desktop.domain.roles import Role
    from jisr_desktop.services import accounts, case_keys

    username, password = ask_operator(args)
    user = accounts.sign_in(ctx=Context(db=db, user=SYSTEM_USER), username=username,
                            password=password)
    if user.role != Role.COUNSELLOR:
        raise NotACounsellor(user=user.username)
    ctx = Context(db=db, user=user)
    case_keys.after_sign_in(ctx=ctx, password=password, online=False)
    return ctx


@command("legal-hold")
def cmd_legal_hold(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.services import purge

    db = open_database(root)
    try:
        ctx = operator_context(args, db)
        pid = _person_id(db, args.person)
        if args.lift:
            purge.lift_hold(ctx=ctx, person_id=pid)
            print(i18n._("The legal hold is lifted."))
        else:
            purge.set_hold(ctx=ctx, person_id=pid, reason=args.reason)
            print(i18n._("The records of this person are kept out of any purge."))
    finally:
        db.close()
    return 0
