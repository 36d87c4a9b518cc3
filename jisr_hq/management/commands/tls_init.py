"""`tls_init` (`jisr-hq tls-init`): a self-signed certificate and key for HQ, and its pin.

For a ministry without its own PKI: the desktops do not need a certificate authority, they
check HQ's key against the pin an enrollment code carries (docs/security.md). Writes
`settings.JISR_HQ_TLS_CERT` and `JISR_HQ_TLS_KEY` (the key owner-only, mode 0600), or the
files given, and prints the pin. Needs no database."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import BaseCommand

from jisr_hq import tls
from jisr_hq.management.base import OperatorError


class Command(BaseCommand):
    help = "Write a self-signed TLS certificate and key for HQ and print its pin (sha256:…)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", action="append", default=[], metavar="NAME",
            help="a DNS name or IP address desktops use to reach HQ (repeat; default:"
                 " localhost and 127.0.0.1)")
        parser.add_argument("--days", type=int, default=3650, help="validity (default 10 years)")
        parser.add_argument("--cert", help=f"certificate file (default {settings.JISR_HQ_TLS_CERT})")
        parser.add_argument("--key", help=f"key file (default {settings.JISR_HQ_TLS_KEY})")
        parser.add_argument("--force", action="store_true", help="replace existing files")

    def handle(self, *args: Any, **options: Any) -> None:
        cert = Path(options["cert"] or settings.JISR_HQ_TLS_CERT)
        key = Path(options["key"] or settings.JISR_HQ_TLS_KEY)
        hosts = [h.strip() for h in options["host"] if h.strip()] or ["localhost", "127.0.0.1"]
        if options["days"] < 1:
            raise OperatorError("--days must be at least 1")
        existing = [str(p) for p in (cert, key) if p.exists()]
        if existing and not options["force"]:
            raise OperatorError(
                f"{' and '.join(existing)} exist already: desktops enrolled with its pin would"
                " refuse a new key; add --force to replace it (docs/security.md, key rollover)")
        cert_pem, key_pem = tls.self_signed(hosts, options["days"])
        tls.write_private(key, key_pem)
        cert.parent.mkdir(parents=True, exist_ok=True)
        cert.write_bytes(cert_pem)
        self.stdout.write(f"certificate: {cert}")
        self.stdout.write(f"key:         {key} (owner only)")
        self.stdout.write(f"names:       {', '.join(hosts)}")
        self.stdout.write(f"pin:         {tls.pin_of_file(cert)}")
