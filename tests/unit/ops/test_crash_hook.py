"""The exception hook without Qt: an uncaught error is logged with its context in the data
root's log file, presented once, and the program goes on."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from jisr_desktop import crash, errors, i18n, paths
from jisr_desktop.log import setup_logging


@pytest.fixture
def hook(home: Path) -> Iterator[list[crash.CrashReport]]:
    setup_logging(home)
    shown: list[crash.CrashReport] = []
    crash.install(home, presenter=shown.append)
    yield shown
    crash.uninstall()


def _log_text(home: Path) -> str:
    return (paths.logs_dir(home) / "jisr.log").read_text(encoding="utf-8")


def _fail_deep_inside() -> None:
    raise ValueError("roster column missing")


def test_an_error_in_a_thread_is_logged_with_context_and_presented(hook: list, home: Path) -> None:
    worker = threading.Thread(target=_fail_deep_inside, name="db-worker")
    worker.start()
    worker.join()
    (report,) = hook
    assert not report.known and report.thread == "db-worker"
    assert report.message("en") == crash.BUG_MESSAGE
    text = _log_text(home)
    assert "ERROR jisr.crash uncaught exception in thread db-worker" in text
    assert "_fail_deep_inside" in text and "ValueError: roster column missing" in text
    assert f"data root {home}" in text and "Jisr Desktop " in text
    assert report.details in text


def test_the_main_thread_hook_logs_and_the_program_goes_on(hook: list, home: Path) -> None:
    try:
        _fail_deep_inside()
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert crash.installed()
    assert len(hook) == 1 and hook[0].thread == threading.current_thread().name
    assert "ValueError: roster column missing" in _log_text(home)


def test_a_known_error_is_a_warning_with_its_translated_message(hook: list, home: Path) -> None:
    try:
        raise errors.DiskFull()
    except errors.DiskFull:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    (report,) = hook
    assert report.known
    assert report.message("en") == errors.DiskFull().message("en")
    assert report.message("fr") == i18n.translate(errors.DiskFull.msgid, "fr")
    assert "WARNING jisr.crash uncaught known error" in _log_text(home)


def test_a_failing_presenter_never_breaks_the_hook(home: Path) -> None:
    setup_logging(home)

    def broken(report: crash.CrashReport) -> None:
        raise RuntimeError("dialog exploded")

    crash.install(home, presenter=broken)
    try:
        worker = threading.Thread(target=_fail_deep_inside)
        worker.start()
        worker.join()
    finally:
        crash.uninstall()
    text = _log_text(home)
    assert "roster column missing" in text and "the error could not be shown" in text


def test_details_text_starts_with_the_context() -> None:
    try:
        _fail_deep_inside()
    except ValueError as exc:
        text = crash.details_text(ValueError, exc, exc.__traceback__, thread="T", root=Path("/d"))
    first = text.splitlines()
    assert first[0].startswith("Jisr Desktop ") and "thread T" in first and "data root /d" in first
    assert text.rstrip().endswith("ValueError: roster column missing")


def test_in_a_real_process_a_thread_crash_leaves_the_program_running(tmp_path: Path) -> None:
    code = (
        "import threading, sys\n"
        "from pathlib import Path\n"
        "from jisr_desktop import crash\n"
        "from jisr_desktop.log import setup_logging\n"
        "root = Path(sys.argv[1]); setup_logging(root); crash.install(root)\n"
        "def boom(): raise KeyError('child')\n"
        "t = threading.Thread(target=boom, name='sync'); t.start(); t.join()\n"
        "print('still running', flush=True)\n"
        "raise LookupError('last words')\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, timeout=60, cwd=Path(__file__).resolve().parents[3])
    assert out.stdout == "still running\n"
    assert out.returncode == 1
    text = (tmp_path / "logs" / "jisr.log").read_text(encoding="utf-8")
    assert "uncaught exception in thread sync" in text and "KeyError: 'child'" in text
    assert "LookupError: last words" in text
    assert "Traceback" not in out.stderr  # the hook, not the interpreter, reported it
