"""What the benchmark scripts share: percentiles, the machine line, writing results."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (0–100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def machine() -> dict[str, Any]:
    """Where and when a figure was measured (the machine is shared: its load is part of it)."""
    return {
        "machine": f"{platform.machine()} {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "date": time.strftime("%Y-%m-%d"),
    }


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write `bench/results/<name>.json` and print it."""
    out = RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    out.write_text(text + "\n")
    print(text, flush=True)
    return out
