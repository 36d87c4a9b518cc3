"""`add_staff` (`jisr-hq add-staff`): a center staff account, its password hashed with argon2."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from jisr_hq.management.base import HqCommand, OperatorError, center_by_code
from jisr_hq.models import StaffAccount
from jisr_protocol import ROLES


class Command(HqCommand):
    help = "Add a center staff account (argon2 hash); prints its id."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True)
        parser.add_argument("--center", required=True, help="center code")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--password", help="else $JISR_HQ_STAFF_PASSWORD")

    def handle(self, *args: Any, **options: Any) -> None:
        role, username = options["role"], options["username"]
        if role not in ROLES:
            raise OperatorError(f"role must be one of {', '.join(ROLES)}")
        if StaffAccount.objects.filter(username=username).exists():
            raise OperatorError(f"a staff account {username!r} already exists")
        password = options["password"] or os.environ.get("JISR_HQ_STAFF_PASSWORD", "")
        try:
            validate_password(password)  # settings.AUTH_PASSWORD_VALIDATORS
        except ValidationError as exc:
            raise OperatorError("the password is refused: " + " ".join(exc.messages)) from exc
        staff = StaffAccount(
            center=center_by_code(options["center"]),
            username=username,
            full_name=options["full_name"],
            role=role,
        )
        staff.set_password(password)
        staff.save()
        self.stdout.write(str(staff.id))
