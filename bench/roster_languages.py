"""The real 300-child nursery roster in Arabic and in French: `.venv/bin/python bench/roster_languages.py`.

Issue 14 point 7 sorts a French roster by the Latin names and spells registered guardians and
pick-ups in Latin letters (one more read of those persons). This measures both languages on the
same center as `bench/reports.py` (300 children, half checked in), best of 5 cold runs, and
writes ``bench/results/roster-languages.json`` (``--out`` for another file); target ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.reports import DAY, best_of, real_nursery_roster, roster  # noqa: E402
from jisr_desktop.reports.fonts import register_fonts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "roster-languages.json")
    parser.add_argument("--label", default="", help="what code was measured (e.g. a commit)")
    args = parser.parse_args()
    register_fonts()
    roster("ar")()  # warm-up: font parsing is a one-time cost per process
    results: dict[str, object] = {"label": args.label}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        real_nursery_roster(home)  # the center of bench/reports.py, built through the services
        from jisr_desktop.context import SYSTEM_USER, Context
        from jisr_desktop.db.connection import open_database
        from jisr_desktop.reports.rosters import RosterRequest, build_roster

        ctx = Context(db=open_database(home), user=SYSTEM_USER,
                      clock=lambda: dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC))
        for lang in ("ar", "fr"):
            request = RosterRequest("nursery", DAY.replace(day=2), lang)

            def run(request: RosterRequest = request) -> None:
                build_roster(io.BytesIO(), ctx=ctx, request=request)

            run()
            results[f"nursery_roster_300_children_{lang}_s"] = round(best_of(run, 5), 3)
        ctx.db.close()
    results["target_s"] = 0.5
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                          "load_average_1min": round(os.getloadavg()[0], 2)}
    results["date"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
