"""`serve`: the sync API and the admin site with uvicorn, on a migrated database.

HTTPS with `--certfile`/`--keyfile`, or by default with HQ's certificate files when they exist
(`settings.JISR_HQ_TLS_CERT`/`JISR_HQ_TLS_KEY`, written by `jisr-hq tls-init`). Plain HTTP is
served on loopback only (a reverse proxy in front terminates TLS), unless
`JISR_HQ_BEHIND_PROXY=1` says a proxy on the network does (docs/security.md)."""

from __future__ import annotations

import ipaddress
from argparse import ArgumentParser
from pathlib import Path
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
        parser.add_argument("--certfile", help="TLS certificate (PEM, chain after it)")
        parser.add_argument("--keyfile", help="TLS private key (PEM)")

    def handle(self, *args: Any, **options: Any) -> None:
        # jisr_hq/settings.py already refuses this; a settings module of one's own must too.
        if getattr(settings, "JISR_HQ_TEST_HOOKS", False) and not settings.DEBUG:
            raise OperatorError("test hooks (JISR_HQ_TEST_HOOKS) are on without DEBUG: refused")
        import uvicorn

        tls = _tls_files(options.get("certfile"), options.get("keyfile"))
        if tls is None and not _loopback(options["host"]) and not settings.JISR_HQ_BEHIND_PROXY:
            raise OperatorError(
                f"refusing plain HTTP on {options['host']}: give --certfile and --keyfile (or run"
                " `jisr-hq tls-init`), or serve on 127.0.0.1 behind a TLS reverse proxy"
                " (JISR_HQ_BEHIND_PROXY=1 when the proxy is on another machine)")
        ssl = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])} if tls else {}
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
            **ssl,  # type: ignore[arg-type]
        )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _tls_files(certfile: str | None, keyfile: str | None) -> tuple[Path, Path] | None:
    """The certificate and key to serve HTTPS with: both options, or HQ's own files when the
    certificate exists; None for plain HTTP."""
    if bool(certfile) != bool(keyfile):
        raise OperatorError("give both --certfile and --keyfile")
    if certfile and keyfile:
        cert, key = Path(certfile), Path(keyfile)
    else:
        cert, key = Path(settings.JISR_HQ_TLS_CERT), Path(settings.JISR_HQ_TLS_KEY)
        if not cert.exists():
            return None
    for path in (cert, key):
        if not path.is_file():
            raise OperatorError(f"no such file: {path}")
    from jisr_hq.tls import pin_of_file

    try:
        pin_of_file(cert)
    except ValueError as exc:
        raise OperatorError(f"{cert} is not a PEM certificate: {exc}") from None
    return cert, key
