"""`create_center` (`jisr-hq create-center`): add a center, print its id and enrollment codes."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from jisr_hq.devices import issue_code
from jisr_hq.management.base import HqCommand, OperatorError
from jisr_hq.models import Center
from jisr_hq.tls import current_pin
from jisr_protocol.pins import join_code


class Command(HqCommand):
    help = "Add a center: prints its id, then --codes N enrollment codes (valid 48 h)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--code", required=True)
        parser.add_argument("--name-fr", required=True)
        parser.add_argument("--name-ar", required=True)
        parser.add_argument("--province", required=True)
        parser.add_argument(
            "--nursery-capacity", type=int, default=30, help="places in the social nursery (0-500)"
        )
        parser.add_argument("--codes", type=int, default=0, help="also print N enrollment codes")
        parser.add_argument(
            "--counselling", action="store_true", help="codes for counselling devices"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"]
        if Center.objects.filter(code=code).exists():
            raise OperatorError(f"a center with code {code!r} already exists")
        if not 0 <= options["nursery_capacity"] <= 500:
            raise OperatorError("--nursery-capacity must be between 0 and 500")
        center = Center(
            code=code,
            name_fr=options["name_fr"],
            name_ar=options["name_ar"],
            province_code=options["province"],
            nursery_capacity=options["nursery_capacity"],
        )
        center.save()
        self.stdout.write(str(center.id))
        pin = current_pin() if options["codes"] else None  # codes carry HQ's pin (enrollment_code)
        for _ in range(options["codes"]):
            code = issue_code(center, hours=48, counselling=options["counselling"])
            self.stdout.write(join_code(code, pin))
