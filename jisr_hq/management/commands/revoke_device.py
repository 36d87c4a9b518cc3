"""`revoke_device` (`jisr-hq revoke-device`): refuse a device from now on."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError

from jisr_hq.devices import revoke
from jisr_hq.management.base import HqCommand, OperatorError
from jisr_hq.models import Device


class Command(HqCommand):
    help = "Refuse a device from now on (its local data stays on the desktop)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("device_id")

    def handle(self, *args: Any, **options: Any) -> None:
        device_id = options["device_id"]
        try:
            device = revoke(device_id)
        except (Device.DoesNotExist, ValueError, ValidationError) as exc:
            raise OperatorError(f"no device with id {device_id!r}") from exc
        self.stdout.write(f"revoked {device.id}")
