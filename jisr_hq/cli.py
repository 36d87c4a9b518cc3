"""`jisr-hq`: HQ's Django management commands under their operator names (docs/hq.md).

`jisr-hq create-center …` runs the management command `create_center` (jisr_hq/management/
commands/), and so on; any other Django command runs under its own name (`jisr-hq check
--deploy`, `jisr-hq showmigrations`). Errors are one line and a non-zero exit status."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

log = logging.getLogger(__name__)

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "serve the sync API and the admin with uvicorn (after migrate)"),
    "tls-init": ("tls_init", "write a self-signed TLS certificate and key, print its pin"),
    "migrate": ("migrate", "create or upgrade the database"),
    "create-center": ("create_center", "add a center (prints its id and enrollment codes)"),
    "enrollment-code": ("enrollment_code", "issue single-use enrollment codes"),
    "revoke-device": ("revoke_device", "refuse a device from now on"),
    "add-staff": ("add_staff", "add a center staff account (argon2 hash)"),
    "purge-tombstones": ("purge_tombstones", "drop tombstones past the retention horizon"),
    "createsuperuser": ("createsuperuser", "create an admin-site user (Django's options)"),
}
"""jisr-hq command → (Django management command, help line)."""


def _usage() -> str:
    lines = [
        "usage: jisr-hq COMMAND [OPTIONS]    (jisr-hq COMMAND --help: its options)",
        "",
        "Jisr headquarters server. Commands:",
        *(f"  {name:<18}{text}" for name, (_, text) in COMMANDS.items()),
        "",
        "Any other Django management command runs under its own name (jisr-hq help lists them).",
    ]
    return "\n".join(lines) + "\n"


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"jisr-hq: {message}\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        sys.stderr.write(_usage())
        return 2
    if args[0] in {"-h", "--help"}:
        sys.stdout.write(_usage())
        return 0
    name, rest = args[0], args[1:]
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisr_hq.settings")
        import django

        django.setup()
        return _run(name, rest)
    except Exception as exc:  # one clear line, details in the log at debug level
        from django.core.management import CommandError

        if isinstance(exc, CommandError):
            return _fail(str(exc), exc.returncode)
        log.debug("command failed", exc_info=True)
        return _fail(f"{type(exc).__name__}: {exc}", 1)


def _run(name: str, rest: list[str]) -> int:
    from django.core.management import (
        CommandError,
        call_command,
        execute_from_command_line,
        get_commands,
        load_command_class,
    )

    from jisr_hq.management.base import ensure_migrated

    if name == "help":  # every management command, or one command's options
        execute_from_command_line(["jisr-hq", "help", *rest])
        return 0
    django_name = COMMANDS[name][0] if name in COMMANDS else name
    app = get_commands().get(django_name)
    if app is None:
        return _fail(f"unknown command {name!r} (jisr-hq --help lists them)", 2)
    command = load_command_class(app, django_name)
    parser = command.create_parser("jisr-hq", name)
    try:
        parser.parse_args(rest)  # usage mistakes in one line; --help prints and exits here
    except CommandError as exc:
        return _fail(f"{name}: {str(exc).removeprefix('Error: ')}", 2)
    if django_name == "createsuperuser":
        ensure_migrated()  # HQ's own commands check it themselves (jisr_hq/management/base.py)
    options = {"interactive": False} if django_name == "migrate" else {}
    call_command(command, *rest, **options)
    return 0
