"""`jisr --self-test`: does this installation work? (Run by CI on the frozen bundle.)

In a temporary data root, and without touching the operating system's key store: create an
encrypted database, register and find a person, back it up and check the copy, render an
Arabic roster PDF with the bundled font, check the translations and locale data, and open
the main window offscreen. Prints one summary line and returns 0, or names the step that
failed and returns 1.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jisr_desktop import __version__, paths

if TYPE_CHECKING:
    from jisr_desktop.context import Context

log = logging.getLogger("jisr.selftest")

PERSON = {"given_name_ar": "فاطمة الزهراء", "family_name_ar": "العلوي",
          "given_name_lat": "Fatima Zahra", "family_name_lat": "Alaoui", "sex": "F",
          "birth_date": "1990-04-12", "phone": "0612345678", "province_code": "04.421"}


class SelfTest:
    """The steps share one temporary data root; each returns a short note for the summary."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ctx: Context | None = None
        self.person_id = ""

    def database(self) -> str:
        from jisr_desktop.context import SYSTEM_USER, Context
        from jisr_desktop.db.connection import open_database

        db = open_database(self.root, create=True)
        header = paths.database_path(self.root).read_bytes()[:16]
        if header.startswith(b"SQLite format 3"):
            raise AssertionError("the database file is not encrypted")
        cipher = db.execute("PRAGMA cipher_version").fetchone()
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise AssertionError("integrity check failed")
        self.ctx = Context(db=db, user=SYSTEM_USER)
        return f"encrypted (SQLCipher {cipher[0] if cipher else '?'})"

    def register(self) -> str:
        from jisr_desktop.context import Context
        from jisr_desktop.services import accounts
        from jisr_desktop.services.center import create_center
        from jisr_desktop.services.registry import register_person

        assert self.ctx is not None
        center = create_center(ctx=self.ctx, code="TEST", name_fr="Centre d'essai",
                               name_ar="مركز تجريبي", province_code="04.421")
        user = accounts.create_account(ctx=self.ctx, username="selftest", display_name="Self test",
                                       role="coordinator", password="self-test-password",
                                       center_id=center.id)
        self.ctx = Context(db=self.ctx.db, user=user)
        person = register_person(ctx=self.ctx, data=PERSON)
        self.person_id = person.id
        ops = self.ctx.db.execute("SELECT count(*) FROM outbox WHERE entity_id = ?",
                                  [person.id]).fetchone()[0]
        if ops != 1:
            raise AssertionError(f"expected one outbox op, found {ops}")
        return person.file_no

    def search(self) -> str:
        from jisr_desktop.services.registry import search_persons

        assert self.ctx is not None
        for text in ("العلوي", "alaoui", "0612345678"):
            found = [p.id for p in search_persons(ctx=self.ctx, text=text)]
            if self.person_id not in found:
                raise AssertionError(f"search for {text!r} did not find the person")
        return "3 searches"

    def backup(self) -> str:
        from jisr_desktop.services import backup

        made = backup.make_backup(self.root)
        counts = backup.preview_restore(self.root, made).counts
        if counts.get("person") != 1:
            raise AssertionError(f"the backup holds {counts.get('person')} persons")
        return made.name

    def roster_pdf(self) -> str:
        """The real nursery roster in Arabic (a child enrolled today), or, in a build without
        rosters, a small Arabic table through the document builder."""
        from jisr_desktop.reports.render import ink_ratio, render_page

        target = self.root / "roster.pdf"
        try:
            from jisr_desktop.reports.rosters import RosterRequest, build_roster
        except ImportError:
            pages, kind = self._small_roster(target), "table"
        else:
            pages, kind = self._nursery_roster(target, RosterRequest, build_roster), "nursery roster"
        if pages < 1 or not target.read_bytes().startswith(b"%PDF"):
            raise AssertionError("no PDF was written")
        ink = ink_ratio(render_page(target.read_bytes(), 0, dpi=50))
        if ink <= 0:
            raise AssertionError("the rendered roster page is blank")
        return f"{kind}, {pages} page"

    def _nursery_roster(self, target: Path, request_type: Any, build_roster: Any) -> int:
        from jisr_desktop.reports.text import shape_line
        from jisr_desktop.services.nursery import enroll_child
        from jisr_desktop.services.registry import register_person

        assert self.ctx is not None
        today = self.ctx.today()
        child = register_person(ctx=self.ctx, data={
            "given_name_ar": "ياسمين", "family_name_ar": "العلوي", "given_name_lat": "Yasmine",
            "family_name_lat": "Alaoui", "sex": "F",
            "birth_date": (today - dt.timedelta(days=400)).isoformat()})
        enroll_child(ctx=self.ctx, child_id=child.id, guardian_ids=[self.person_id])
        request = request_type(kind="nursery", day=today, lang="ar")
        pages = int(build_roster(target, ctx=self.ctx, request=request))
        text = _page_text(target)  # pdfium gives logical order or presentation forms
        if "ياسمين" not in text and shape_line("ياسمين", rtl=True) not in text:
            raise AssertionError("the child's Arabic name is not on the roster")
        return pages

    def _small_roster(self, target: Path) -> int:
        from jisr_desktop.reports.document import RosterTable, build_pdf, heading

        columns = [("رقم الملف", 1.2), ("الاسم", 2.5), ("الهاتف", 1.4), ("التوقيع", 1.2)]
        rows = [["TEST-0001", "فاطمة الزهراء العلوي", "+212612345678", ""],
                ["TEST-0002", "يوسف بناني", "+212700000000", ""]]
        return build_pdf(target, lang="ar", center_name="مركز تجريبي", title="لائحة الحضور",
                         date=dt.date(2026, 11, 29),
                         story=[heading("الحضانة الاجتماعية", rtl=True),
                                RosterTable(columns, rows, lang="ar")])

    def translations(self) -> str:
        from jisr_desktop import i18n

        for lang, expected in (("ar", "نونبر"), ("fr", "novembre")):
            if i18n.translate("Something went wrong.", lang) == "Something went wrong.":
                raise AssertionError(f"no {lang} catalog")
            if expected not in i18n.format_date(dt.date(2026, 11, 29), lang, "long"):
                raise AssertionError(f"no {lang} locale data")
        return "ar, fr"

    def gui(self) -> str:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from jisr_desktop.ui.error_dialog import gui_self_test

        if self.ctx is not None:
            self.ctx.db.close()
            self.ctx = None
        return gui_self_test(self.root)

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [("database", self.database), ("register", self.register), ("search", self.search),
                ("backup", self.backup), ("roster_pdf", self.roster_pdf),
                ("translations", self.translations), ("gui", self.gui)]


def _page_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf.read_bytes())
    try:
        page = document[0]
        text = page.get_textpage().get_text_bounded()
        return str(text)
    finally:
        document.close()


def run_self_test(*, out: Callable[[str], None] = print, gui: bool = True) -> int:
    """Run every step; print one line; 0 when all passed."""
    from jisr_desktop.log import setup_logging

    started = time.monotonic()
    saved = {k: os.environ.get(k) for k in ("JISR_NO_KEYRING", "QT_QPA_PLATFORM")}
    os.environ["JISR_NO_KEYRING"] = "1"  # never write a test key into the real key store
    notes: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="jisr-selftest-") as tmp:
            root = Path(tmp) / "home"
            root.mkdir()
            setup_logging(root)
            test = SelfTest(root)
            for name, step in test.steps():
                if name == "gui" and not gui:
                    continue
                try:
                    notes.append(f"{name} ({step()})")
                except BaseException as exc:
                    traceback.print_exc(file=sys.stderr)
                    out(f"jisr self-test FAILED at step {name}: {type(exc).__name__}: {exc}")
                    return 1
            if test.ctx is not None:
                test.ctx.db.close()
            logging.getLogger("jisr").handlers.clear()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    kind = "bundle" if getattr(sys, "frozen", False) else "source"
    out(f"jisr self-test OK: jisr {__version__} ({kind}), {len(notes)} steps passed in "
        f"{time.monotonic() - started:.1f} s: " + "; ".join(notes))
    return 0
