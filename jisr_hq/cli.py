"""`jisr-hq`: run and administer the HQ server. Errors are one line and a non-zero exit."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

log = logging.getLogger(__name__)


class CliError(Exception):
    """A mistake the operator can fix; shown as one line."""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisr_hq.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_serve(args: argparse.Namespace) -> int:
    _migrate(verbosity=0)
    import uvicorn

    uvicorn.run(
        "jisr_hq.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=args.access_log,
        timeout_graceful_shutdown=5,
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate()
    return 0


def _center(code: str):  # type: ignore[no-untyped-def]
    from jisr_hq.models import Center

    center = Center.objects.filter(code=code).first()
    if center is None:
        raise CliError(f"no center with code {code!r}")
    return center


def cmd_create_center(args: argparse.Namespace) -> int:
    from jisr_hq.models import Center

    if Center.objects.filter(code=args.code).exists():
        raise CliError(f"a center with code {args.code!r} already exists")
    center = Center(
        code=args.code, name_fr=args.name_fr, name_ar=args.name_ar, province_code=args.province
    )
    center.save()
    sys.stdout.write(f"{center.id}\n")
    if args.codes:
        from jisr_hq.devices import issue_code

        for _ in range(args.codes):
            sys.stdout.write(f"{issue_code(center, hours=48, counselling=args.counselling)}\n")
    return 0


def cmd_enrollment_code(args: argparse.Namespace) -> int:
    from jisr_hq.devices import issue_code

    center = _center(args.center)
    for _ in range(args.count):
        code = issue_code(center, hours=args.hours, counselling=args.counselling)
        sys.stdout.write(f"{code}\n")
    return 0


def cmd_revoke_device(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from jisr_hq.devices import revoke
    from jisr_hq.models import Device

    try:
        device = revoke(args.device_id)
    except (Device.DoesNotExist, ValueError, ValidationError) as exc:
        raise CliError(f"no device with id {args.device_id!r}") from exc
    sys.stdout.write(f"revoked {device.id}\n")
    return 0


def cmd_add_staff(args: argparse.Namespace) -> int:
    from jisr_desktop.sync.protocol import ROLES
    from jisr_hq.models import StaffAccount

    if args.role not in ROLES:
        raise CliError(f"role must be one of {', '.join(ROLES)}")
    if StaffAccount.objects.filter(username=args.username).exists():
        raise CliError(f"a staff account {args.username!r} already exists")
    password = args.password or os.environ.get("JISR_HQ_STAFF_PASSWORD", "")
    if len(password) < 8:
        raise CliError("the password must have at least 8 characters")
    staff = StaffAccount(
        center=_center(args.center),
        username=args.username,
        full_name=args.full_name,
        role=args.role,
    )
    staff.set_password(password)
    staff.save()
    sys.stdout.write(f"{staff.id}\n")
    return 0


def cmd_purge_tombstones(args: argparse.Namespace) -> int:
    from jisr_hq.retention import purge_tombstones

    count = purge_tombstones(older_than_days=args.older_than_days)
    sys.stdout.write(f"purged {count} tombstones\n")
    return 0


def cmd_createsuperuser(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("createsuperuser", *args.rest)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jisr-hq", description="Jisr headquarters server.")
    sub = parser.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="migrate, then serve the API and admin with uvicorn")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--log-level", default="info")
    s.add_argument("--access-log", action="store_true")
    s.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="create or upgrade the database").set_defaults(func=cmd_migrate)

    c = sub.add_parser("create-center", help="add a center")
    c.add_argument("--code", required=True)
    c.add_argument("--name-fr", required=True)
    c.add_argument("--name-ar", required=True)
    c.add_argument("--province", required=True)
    c.add_argument("--codes", type=int, default=0, help="also print N enrollment codes")
    c.add_argument("--counselling", action="store_true", help="codes for counselling devices")
    c.set_defaults(func=cmd_create_center)

    e = sub.add_parser("enrollment-code", help="issue a single-use enrollment code")
    e.add_argument("--center", required=True, help="center code")
    e.add_argument("--hours", type=float, default=48)
    e.add_argument("--counselling", action="store_true", help="device may hold case notes")
    e.add_argument("--count", type=int, default=1, help="how many codes to print")
    e.set_defaults(func=cmd_enrollment_code)

    r = sub.add_parser("revoke-device", help="refuse a device from now on")
    r.add_argument("device_id")
    r.set_defaults(func=cmd_revoke_device)

    a = sub.add_parser("add-staff", help="add a center staff account (argon2 hash)")
    a.add_argument("--username", required=True)
    a.add_argument("--role", required=True)
    a.add_argument("--center", required=True, help="center code")
    a.add_argument("--full-name", default="")
    a.add_argument("--password", help="else $JISR_HQ_STAFF_PASSWORD")
    a.set_defaults(func=cmd_add_staff)

    t = sub.add_parser("purge-tombstones", help="drop tombstones past the retention horizon")
    t.add_argument("--older-than-days", type=float, default=None)
    t.set_defaults(func=cmd_purge_tombstones)

    u = sub.add_parser(
        "createsuperuser", help="create an admin-site user (Django's options pass through)"
    )
    u.set_defaults(func=cmd_createsuperuser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "createsuperuser":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    try:
        _setup()
        if args.command not in {"serve", "migrate"}:
            _migrate(verbosity=0)
        return int(args.func(args))
    except CliError as exc:
        sys.stderr.write(f"jisr-hq: {exc}\n")
        return 2
    except Exception as exc:  # one clear line, details in the log at debug level
        log.debug("command failed", exc_info=True)
        sys.stderr.write(f"jisr-hq: {type(exc).__name__}: {exc}\n")
        return 1
