"""`serve`: the sync API and the admin site with uvicorn, on a migrated database."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import connections

from jisr_hq.management.base import HqCommand, OperatorError


class Command(HqCommand):
    help = "Serve the sync API and the admin site with uvicorn (after `jisr-hq migrate`)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--log-level", default="info")
        parser.add_argument("--access-log", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        # jisr_hq/settings.py already refuses this; a settings module of one's own must too.
        if getattr(settings, "JISR_HQ_TEST_HOOKS", False) and not settings.DEBUG:
            raise OperatorError("test hooks (JISR_HQ_TEST_HOOKS) are on without DEBUG: refused")
        import uvicorn

        connections.close_all()  # the migration check's connection; workers open their own
        module, _, name = settings.ASGI_APPLICATION.rpartition(".")
        uvicorn.run(
            f"{module}:{name}",  # an import string: each worker process imports it
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            log_level=options["log_level"],
            access_log=options["access_log"],
            timeout_graceful_shutdown=5,
        )
