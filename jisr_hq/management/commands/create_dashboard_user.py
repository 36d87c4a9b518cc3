"""`create_dashboard_user` (`jisr-hq create-dashboard-user`): an HQ account for the dashboard
with its scope: national, one region, one province or one center."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jisr_hq.dashboard.divisions import divisions
from jisr_hq.management.base import HqCommand, OperatorError
from jisr_hq.models import Center, DashboardScope


class Command(HqCommand):
    help = (
        "Add (or re-scope) a dashboard account: --scope national | region:CODE | "
        "province:CODE | center:CODE; password from --password or $JISR_HQ_DASHBOARD_PASSWORD."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--scope", required=True)
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        level, _, code = options["scope"].partition(":")
        if level == "national":
            code = ""
        elif level in ("region", "province"):
            div = divisions().get(code)
            wanted = ("region",) if level == "region" else ("province", "prefecture")
            if div is None or div.kind not in wanted:
                raise OperatorError(f"unknown {level} code {code!r}")
        elif level == "center":
            if not Center.objects.filter(code=code).exists():
                raise OperatorError(f"unknown center code {code!r}")
        else:
            raise OperatorError(
                "--scope must be national, region:CODE, province:CODE or center:CODE"
            )
        password = options["password"] or os.environ.get("JISR_HQ_DASHBOARD_PASSWORD", "")
        if len(password) < 10:
            raise OperatorError("the password must have at least 10 characters")
        users = get_user_model()
        with transaction.atomic():
            user, _created = users.objects.get_or_create(username=options["username"])
            user.set_password(password)
            user.save()
            DashboardScope.objects.update_or_create(
                user=user, defaults={"level": level, "code": code}
            )
        self.stdout.write(f"{user.username}: {level}{':' + code if code else ''}")
