"""HQ imports nothing of the desktop (only `jisr_protocol`), and neither HQ nor the sync package
ever imports Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "jisr_hq.settings"
import django
django.setup()
import jisr_hq.admin, jisr_hq.api, jisr_hq.asgi, jisr_hq.cli, jisr_hq.urls  # noqa
hq_view = sorted(m for m in sys.modules if m.startswith("jisr_desktop"))
import jisr_desktop.sync.transport  # noqa
print(json.dumps({"desktop_modules": hq_view,
                  "qt": sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken")))}))
"""


def test_hq_imports_only_the_protocol_and_no_qt(tmp_path: Path) -> None:
    env = {**os.environ, "JISR_HQ_HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=120,
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["desktop_modules"] == []
    assert seen["qt"] == []
