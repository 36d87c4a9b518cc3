"""The one exception hook, without Qt: log an uncaught error with its context, build the
details text, and hand a `CrashReport` to whoever presents it (the Qt dialog, when a Qt
application runs; see `jisr_desktop.ui.error_dialog`).

Uncaught errors reach it from the main thread (`sys.excepthook`, which is also where Qt sends
an exception raised in a slot: the event loop then goes on) and from other threads
(`threading.excepthook`: that thread ends, the program goes on). A known problem
(`JisrError`) is logged as a warning and shown with its own message; anything else is a bug,
logged with its traceback and shown as one calm message with the details to copy.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from jisr_desktop import __version__, i18n
from jisr_desktop.errors import JisrError
from jisr_desktop.i18n import N_

log = logging.getLogger("jisr.crash")

BUG_MESSAGE = N_("Jisr Desktop met an unexpected problem. Your saved work is safe and the "
                 "details were written to the log file. You can go on working; if it happens "
                 "again, copy the details and send them to your coordinator.")


@dataclass(frozen=True)
class CrashReport:
    """One uncaught error, ready to be shown: `message` for people, `details` to copy."""

    known: bool
    message_id: str
    params: dict[str, object]
    details: str
    thread: str

    def message(self, lang: str | None = None) -> str:
        return i18n.translate(self.message_id, lang, **self.params)


Presenter = Callable[[CrashReport], None]
_presenter: Presenter | None = None
_root: Path | None = None
_previous: tuple[object, object] | None = None


def context_lines(*, thread: str, root: Path | None = None,
                  now: datetime | None = None) -> list[str]:
    """Where and when it happened: version, platform, language, data root, thread."""
    return [
        f"Jisr Desktop {__version__}" + (" (bundle)" if getattr(sys, "frozen", False) else ""),
        f"Python {platform.python_version()} on {platform.platform(terse=True)}",
        f"time {(now or datetime.now(UTC)).isoformat(timespec='seconds')}",
        f"language {i18n.current_language()}",
        f"data root {root if root is not None else '-'}",
        f"thread {thread}",
    ]


def details_text(kind: type[BaseException], exc: BaseException, tb: TracebackType | None, *,
                 thread: str, root: Path | None = None, now: datetime | None = None) -> str:
    """The text behind "copy details": the context, then the traceback."""
    lines = context_lines(thread=thread, root=root if root is not None else _root, now=now)
    trace = "".join(traceback.format_exception(kind, exc, tb))
    return "\n".join(lines) + "\n\n" + trace.rstrip() + "\n"


def report_for(kind: type[BaseException], exc: BaseException, tb: TracebackType | None, *,
               thread: str) -> CrashReport:
    details = details_text(kind, exc, tb, thread=thread)
    if isinstance(exc, JisrError):
        return CrashReport(True, exc.msgid, dict(exc.params), details, thread)
    return CrashReport(False, BUG_MESSAGE, {}, details, thread)


def handle(kind: type[BaseException], exc: BaseException, tb: TracebackType | None, *,
           thread: str | None = None) -> CrashReport | None:
    """Log one uncaught error and present it; returns the report (None for Ctrl+C)."""
    if issubclass(kind, KeyboardInterrupt | SystemExit):
        sys.__excepthook__(kind, exc, tb)
        return None
    thread = thread or threading.current_thread().name
    try:
        report = report_for(kind, exc, tb, thread=thread)
        if report.known:
            log.warning("uncaught known error in thread %s: %s", thread, report.message("en"))
        else:
            log.error("uncaught exception in thread %s\n%s", thread, report.details)
    except Exception:  # the hook must never raise: fall back to the interpreter's report
        sys.__excepthook__(kind, exc, tb)
        return None
    presenter = _presenter
    if presenter is not None:
        try:
            presenter(report)
        except Exception:
            log.exception("the error could not be shown")
    return report


def _sys_hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    handle(kind, exc, tb, thread=threading.current_thread().name)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    handle(args.exc_type, args.exc_value, args.exc_traceback,
           thread=args.thread.name if args.thread is not None else "?")


def install(root: Path | None = None, *, presenter: Presenter | None = None) -> None:
    """Route uncaught errors of every thread through `handle` (call once at start; again
    to change the presenter)."""
    global _presenter, _root, _previous
    if _previous is None:
        _previous = (sys.excepthook, threading.excepthook)
    _root = root
    _presenter = presenter
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def set_presenter(presenter: Presenter | None) -> None:
    global _presenter
    _presenter = presenter


def uninstall() -> None:
    """Put back the hooks that were there before `install` (tests)."""
    global _presenter, _root, _previous
    if _previous is not None:
        sys.excepthook, threading.excepthook = _previous  # type: ignore[assignment]
    _previous = None
    _presenter = None
    _root = None


def installed() -> bool:
    return sys.excepthook is _sys_hook and threading.excepthook is _thread_hook
