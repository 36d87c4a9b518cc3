"""The Qt binding must survive a day of signals: PySide6 6.12.0 dropped one reference to
`True` per signal delivered to a Python slot, and Python 3.11 aborts after a few thousand
(`bool_dealloc`), which a receptionist would meet as a crash after an hour's work."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal(object)

app = QCoreApplication([])
emitter = Emitter()
seen = []
emitter.fired.connect(lambda value: seen.append(value))
before = sys.getrefcount(True)
for i in range(20_000):
    emitter.fired.emit(i)
print(len(seen), sys.getrefcount(True) - before)
"""


def test_many_signals_to_python_slots_do_not_corrupt_the_interpreter() -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert run.returncode == 0, run.stderr[-500:]
    delivered, leaked = (int(x) for x in run.stdout.split())
    assert delivered == 20_000
    assert abs(leaked) < 100
