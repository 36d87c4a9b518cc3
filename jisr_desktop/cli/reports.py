"""`jisr roster`, `jisr report`, `jisr export`, `jisr card-sheet`, `jisr certificate` and
`jisr consent`: the printouts and exports, headless (registered by `cli.build_parser`).

``--lang`` after the command is the language of the document (ar or fr), which may differ
from the language of the program's messages (``jisr --lang fr roster … --lang ar``).
"""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path

from jisr_desktop import errors, i18n
from jisr_desktop.cli import (
    _system_context,
    command,
    operator_context,
    operator_option,
    output_file,
    write_through,
)
from jisr_desktop.i18n import N_, translate
from jisr_desktop.reports.export_rows import (  # column titles
    ATTENDANCE_HEADERS,
    PERSON_HEADERS,
    VISIT_HEADERS,
)
from jisr_desktop.reports.rosters import KINDS

DOC_LANGUAGES = ("ar", "fr")


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(translate(N_("Write the date as YYYY-MM-DD."))) from None


FIRST_YEAR, LAST_YEAR = 1900, 2999  # the reports' months (their date arithmetic stays in range)


def parse_month(text: str) -> tuple[int, int]:
    try:
        first = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(translate(N_("Write the month as YYYY-MM."))) from None
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(translate(
            N_("The month must be between {first}-01 and {last}-12."), first=FIRST_YEAR, last=LAST_YEAR))
    return first.year, first.month


def parse_separator(text: str) -> str:
    """``--separator``: ``;``, ``,`` or ``tab``, anything else refused in one line."""
    from jisr_desktop.reports.exports import CSV_SEPARATORS

    if text not in CSV_SEPARATORS:
        raise argparse.ArgumentTypeError(translate(N_("The separator must be “;”, “,” or “tab”.")))
    return CSV_SEPARATORS[text]


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def doc_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", dest="doc_lang", choices=DOC_LANGUAGES,
                       help="language of the document (default: the program's, or Arabic)")
        p.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF to write")

    p = sub.add_parser("roster", help="print a day's roster: nursery, elderly club or workshop sessions")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--date", type=parse_day, help="the day, YYYY-MM-DD (default: today)")
    p.add_argument("--blank", action="store_true", help="paper fallback: enrolled names, empty times and signatures")
    p.add_argument("--session", metavar="ID", help="one workshop session (default: every session of the day)")
    doc_options(p)

    p = sub.add_parser("report", help="the monthly activity report for HQ (provisional while the month "
                                      "is not over)")
    p.add_argument("which", choices=("monthly",))
    p.add_argument("--month", type=parse_month, required=True, metavar="YYYY-MM")
    doc_options(p)

    p = sub.add_parser("export", help="export the registry, attendance or reception visits to XLSX or CSV "
                                      "(UTF-8 with BOM)")
    p.add_argument("what", choices=("persons", "attendance", "visits"))
    p.add_argument("--format", dest="fmt", choices=("xlsx", "csv"), help="default: from the file's extension")
    p.add_argument("--month", type=parse_month, metavar="YYYY-MM", help="attendance or visits of one month only")
    p.add_argument("--lang", dest="doc_lang", choices=DOC_LANGUAGES, help="language of the column titles")
    p.add_argument("--separator", type=parse_separator, metavar="SEP",
                   help='CSV separator: ";", "," or tab (default: the csv_separator setting, else ";" '
                        'for French and Arabic)')
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    operator_option(p)

    p = sub.add_parser("card-sheet", help="print member cards (QR code, name, file number, service) at 100%% scale")
    p.add_argument("--service", choices=("nursery", "club", "workshop"))
    p.add_argument("--person", action="append", metavar="ID", help="only this person's cards (repeatable)")
    p.add_argument("--new", action="store_true",
                   help="only the cards never printed yet (new members, reprinted cards)")
    doc_options(p)

    p = sub.add_parser("certificate", help="print a workshop completion certificate")
    p.add_argument("enrollment", metavar="ENROLLMENT_ID")
    doc_options(p)

    p = sub.add_parser("consent", help="print a person's personal-data notice and consent receipt (law 09-08)")
    p.add_argument("person", metavar="PERSON_ID")
    doc_options(p)


def doc_language(args: argparse.Namespace) -> str:
    if args.doc_lang:
        return str(args.doc_lang)
    current = i18n.current_language()
    return current if current in DOC_LANGUAGES else "ar"


def _write_pdf(args: argparse.Namespace, build) -> int:  # type: ignore[no-untyped-def]
    """Build into memory, then write the file: a failed build leaves no half-written PDF."""
    out = output_file(args.output, example="document.pdf")
    buffer = io.BytesIO()
    pages = build(buffer)
    write_through(out, lambda target: target.write_bytes(buffer.getvalue()))
    print(i18n.translate_plural("Wrote {path} ({n} page).", "Wrote {path} ({n} pages).", pages, path=str(out)))
    return 0


@command("roster")
def cmd_roster(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.reports.rosters import RosterRequest, build_roster

    ctx = _system_context(root)
    request = RosterRequest(args.kind, args.date or ctx.today(), doc_language(args), args.blank, args.session)
    return _write_pdf(args, lambda target: build_roster(target, ctx=ctx, request=request))


@command("report")
def cmd_report(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.reports.monthly import build_monthly_report

    ctx = _system_context(root)
    year, month = args.month
    # printed now: a month not over yet gives a provisional report (figures and ages to today)
    return _write_pdf(args, lambda target: build_monthly_report(target, db=ctx.db, year=year, month=month,
                                                                lang=doc_language(args), printed_at=ctx.now()))


def _csv_separator(root: Path, lang: str) -> str:
    """The data root's `csv_separator` setting, else the export language's default."""
    from jisr_desktop.reports.exports import CSV_SEPARATORS, default_separator
    from jisr_desktop.settings import Settings

    chosen = Settings(root)["csv_separator"]
    return CSV_SEPARATORS[chosen] if chosen else default_separator(lang)


@command("export")
def cmd_export(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.db.connection import open_database
    from jisr_desktop.domain.dates import month_bounds
    from jisr_desktop.reports.export_rows import attendance_rows, person_rows, visit_rows
    from jisr_desktop.reports.exports import write_csv, write_xlsx
    from jisr_desktop.services import operator

    out = output_file(args.output, example=f"{args.what}.{args.fmt or 'xlsx'}")
    db = open_database(root)
    try:
        ctx = operator_context(args, db)
        lang = doc_language(args)
        if args.what == "persons":
            found, headers = person_rows(ctx.db, lang), PERSON_HEADERS
        else:
            first, last = month_bounds(*args.month) if args.month else (None, None)
            if args.what == "visits":
                found, headers = visit_rows(ctx.db, lang, first, last), VISIT_HEADERS
            else:
                found, headers = attendance_rows(ctx.db, lang, first, last), ATTENDANCE_HEADERS
        columns = [(key, translate(title, lang)) for key, title in headers.items()]
        fmt = args.fmt or ("csv" if out.suffix.lower() == ".csv" else "xlsx")
        if fmt == "csv":
            separator = args.separator or _csv_separator(root, lang)
            n = write_through(out, lambda target: write_csv(target, found, columns, separator=separator))
        else:
            n = write_through(out, lambda target: write_xlsx(target, found, columns, sheet_title=args.what,
                                                             rtl=lang == "ar"))
        operator.record(ctx, "export", what=args.what, format=fmt, path=str(out), rows=n)
    finally:
        db.close()
    print(i18n.translate_plural("Wrote {path} ({n} row).", "Wrote {path} ({n} rows).", n, path=str(out)))
    return 0


@command("card-sheet")
def cmd_card_sheet(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.reports.cards_sheet import build_card_sheet, cards_to_print
    from jisr_desktop.services.cards import record_printed

    ctx = _system_context(root)
    person_ids = None
    if args.person:
        person_ids = []
        for given in args.person:
            row = ctx.db.execute("SELECT id FROM person WHERE (id = ? OR file_no = ?) AND deleted = 0",
                                 [given, given]).fetchone()
            if row is None:
                raise errors.NotFound(N_("No person has the id or file number “{id}”: nothing was "
                                         "printed."), id=given)
            person_ids.append(row[0])
    lang = doc_language(args)
    cards = cards_to_print(ctx.db, lang=lang, service=args.service, person_ids=person_ids, unprinted_only=args.new)
    if not cards:
        if args.new:
            raise errors.NotFound(N_("Every live member card has been printed already: nothing was printed."))
        raise errors.NotFound(N_("No live member card matches: nothing was printed."))
    done = _write_pdf(args, lambda target: build_card_sheet(target, db=ctx.db, lang=lang, day=ctx.today(),
                                                            cards=cards))
    record_printed(ctx=ctx, card_ids=[c.id for c in cards], output=str(args.output))
    return done


@command("certificate")
def cmd_certificate(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.reports.certificate import build_certificate

    ctx = _system_context(root)
    return _write_pdf(args, lambda target: build_certificate(target, ctx=ctx, enrollment_id=args.enrollment,
                                                             lang=doc_language(args)))


@command("consent")
def cmd_consent(args: argparse.Namespace, root: Path) -> int:
    from jisr_desktop.reports.person_consent import build_person_consent

    ctx = _system_context(root)
    return _write_pdf(args, lambda target: build_person_consent(target, ctx=ctx, person_id=args.person,
                                                                lang=doc_language(args)))
