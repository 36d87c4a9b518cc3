"""`enrollment_code` (`jisr-hq enrollment-code`): single-use enrollment codes of a center.

When HQ has a certificate, each code carries its pin after a dot (`ABCD-EFGH-JKMN.sha256-…`,
jisr_protocol/pins.py): the desktop checks HQ's key against it before it sends anything
(docs/security.md). The part before the dot alone is still a valid code."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from jisr_hq.devices import issue_code
from jisr_hq.management.base import HqCommand, center_by_code
from jisr_hq.tls import current_pin
from jisr_protocol.pins import join_code


class Command(HqCommand):
    help = "Issue single-use enrollment codes for a center's desktops."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--center", required=True, help="center code")
        parser.add_argument("--hours", type=float, default=48)
        parser.add_argument("--counselling", action="store_true", help="device may hold case notes")
        parser.add_argument("--count", type=int, default=1, help="how many codes to print")

    def handle(self, *args: Any, **options: Any) -> None:
        center = center_by_code(options["center"])
        pin = current_pin()
        for _ in range(options["count"]):
            code = issue_code(center, hours=options["hours"], counselling=options["counselling"])
            self.stdout.write(join_code(code, pin))
