"""`rebuild_indicators` (`jisr-hq rebuild-indicators`): recompute the dashboard's indicators
from the synced events (after a restore, or a change of the counting rules)."""

from __future__ import annotations

from typing import Any

from jisr_hq.dashboard.indicators import rebuild
from jisr_hq.management.base import HqCommand


class Command(HqCommand):
    help = "Recompute every dashboard indicator from the synced records and events."

    def handle(self, *args: Any, **options: Any) -> None:
        cells = rebuild()
        self.stdout.write(f"{cells} indicator cells")
