"""`purge_tombstones` (`jisr-hq purge-tombstones`): drop tombstones past the retention horizon."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from jisr_hq.management.base import HqCommand
from jisr_hq.retention import purge_tombstones


class Command(HqCommand):
    help = "Drop tombstones older than JISR_HQ_TOMBSTONE_DAYS (or --older-than-days)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--older-than-days", type=float, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_tombstones(older_than_days=options["older_than_days"])
        self.stdout.write(f"purged {count} tombstones")
