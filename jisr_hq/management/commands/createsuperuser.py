"""`createsuperuser` that checks the password validators with --noinput too.

Django's own command validates an interactively typed password only; with --noinput it takes
DJANGO_SUPERUSER_PASSWORD as it is (so "1" made an HQ administrator). This command (jisr_hq
is listed before django.contrib.auth, so it wins) refuses a password the validators of
settings.AUTH_PASSWORD_VALIDATORS refuse, before anything is written."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options["interactive"] and password is not None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError("The password is refused: " + " ".join(exc.messages)) from exc
        super().handle(*args, **options)
