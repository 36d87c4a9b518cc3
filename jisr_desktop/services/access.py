"""The right of access (law 09-08; docs/privacy.md, "Rights of access and correction"): a
person's whole file, as a readable PDF in her language and a JSON file, for a coordinator, an
admin or a counsellor who proved who she is with her password. Only a counsellor's export holds
the sealed counselling content; the others say that it exists. Every export is in the audit log.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlite_utils

from jisr_desktop import errors, ledger
from jisr_desktop.context import SYSTEM_USER, Context, utc_now
from jisr_desktop.db.connection import transaction
from jisr_desktop.domain.roles import Permission, Role
from jisr_desktop.i18n import N_
from jisr_desktop.reports import person_export as paper
from jisr_desktop.reports.person_export import PersonExport
from jisr_desktop.services import accounts

__all__ = ["READER_ROLES", "PersonExport", "authorize_reader", "export_person"]

READER_ROLES = frozenset({Role.COORDINATOR.value, Role.ADMIN.value, Role.COUNSELLOR.value})


class NotAReader(errors.JisrError):
    msgid = N_("Only a coordinator, an admin or a counsellor can export a person's file; {user} "
               "is none of them. Nothing was exported.")


def authorize_reader(db: sqlite_utils.Database, *, username: str, password: str,
                     clock: Callable[[], datetime] = utc_now) -> Context:
    """A context acting as `username` once her password is right and her role may export."""
    user = accounts.sign_in(ctx=Context(db=db, user=SYSTEM_USER, clock=clock),
                            username=username, password=password)
    if user.role not in READER_ROLES:
        raise NotAReader(user=user.username)
    return Context(db=db, user=user, clock=clock)


def may_export(ctx: Context) -> bool:
    return ctx.user.role in READER_ROLES


def export_person(*, ctx: Context, person_id: str, pdf: Path, json_file: Path,
                  lang: str | None = None,
                  write: Callable[[Path, Callable[[Path], object]], object] | None = None,
                  ) -> PersonExport:
    """Write the person's file to `pdf` and `json_file`; returns what was exported. `lang` is
    the PDF's language (default: the person's, see `person_language`). `write(path, fn)`
    writes a file through a temporary one (the command line's `write_through`)."""
    if not may_export(ctx):
        raise errors.PermissionDenied()
    with_sealed = ctx.user.can(Permission.CASE_NOTES)
    export = paper.collect(ctx.db, person_id, today=ctx.today(), with_sealed=with_sealed)
    doc_lang = lang or paper.person_language(export)
    buffer = io.BytesIO()
    pages = paper.build_person_export(buffer, db=ctx.db, export=export, lang=doc_lang)
    put = write or (lambda path, fn: fn(path))
    put(pdf, lambda target: target.write_bytes(buffer.getvalue()))
    put(json_file, lambda target: paper.write_json(target, export))
    with transaction(ctx.db):
        ledger.audit(ctx, "person_export", "person", export.person_id, {
            "records": [None, export.record_count()], "sealed_included": [None, with_sealed],
            "sealed_withheld": [None, 0 if with_sealed else sum(export.sealed_counts.values())],
            "pdf": [None, str(pdf)], "json": [None, str(json_file)], "pages": [None, pages],
            "lang": [None, doc_lang]})
    return export
