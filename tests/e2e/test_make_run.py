"""What `make run` does, as a newcomer would see it: demo data in an empty data root, then the
real program starts (offscreen here) and reaches its login window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.slow
def test_program_starts_with_demo_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "JISR_NO_KEYRING": "1", "QT_QPA_PLATFORM": "offscreen"}
    base = [sys.executable, "-m", "jisr_desktop", "--home", str(home)]
    demo = subprocess.run([*base, "demo", "--persons", "200", "--seed", "1", "--if-empty"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    again = subprocess.run([*base, "demo", "--persons", "200", "--if-empty"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and again.stdout == ""  # a second `make run` adds nothing
    log_file = home / "logs" / "jisr.log"
    stderr_file = (tmp_path / "stderr.txt").open("w")
    program = subprocess.Popen(base, env=env, stdout=subprocess.DEVNULL, stderr=stderr_file)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and program.poll() is None:
            if log_file.exists() and "login window shown" in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        assert program.poll() is None, (tmp_path / "stderr.txt").read_text()
        assert "login window shown" in log_file.read_text(encoding="utf-8")
    finally:
        program.terminate()
        program.wait(timeout=30)
        stderr_file.close()
    assert "Traceback" not in log_file.read_text(encoding="utf-8")
