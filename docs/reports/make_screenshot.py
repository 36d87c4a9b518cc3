"""The Reports screen with a preview, in Arabic: `.venv/bin/python docs/reports/make_screenshot.py`.

Offscreen Qt (no display needed); the data comes from `make_report_samples.build`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("JISR_NO_KEYRING", "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from make_report_samples import build  # noqa: E402
from PySide6.QtCore import QDate, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from jisr_desktop.context import User  # noqa: E402
from jisr_desktop.ui.language import apply_language, load_fonts  # noqa: E402
from jisr_desktop.ui.screens.reports import ReportsScreen  # noqa: E402
from jisr_desktop.ui.session import Session  # noqa: E402


def main() -> None:
    app = QApplication([])
    load_fonts(app)
    apply_language("ar")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        build(home).db.close()
        session = Session(home)
        session.sign_in(User(id="coord", username="coord", display_name="Coordinatrice", role="coordinator"))
        screen = ReportsScreen(session)
        screen.resize(1280, 760)
        screen.choose("nursery")
        screen.day.setDate(QDate(2026, 11, 2))
        screen.show()
        loop = QEventLoop()
        screen.preview_ready.connect(lambda _n: loop.quit())
        QTimer.singleShot(60_000, loop.quit)
        screen.preview()
        loop.exec()
        settle = QEventLoop()  # let the layout place the pages
        QTimer.singleShot(300, settle.quit)
        settle.exec()
        screen.grab().save(str(HERE / "reports-screen-ar.png"))
        session.close()


if __name__ == "__main__":
    main()
