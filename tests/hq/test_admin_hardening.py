"""Issue 12, point 6: Django's password validators on every account-creating path."""

from __future__ import annotations

import uuid

from tests.hq.hqkit import HqServer


def test_createsuperuser_noinput_refuses_weak_password(hq: HqServer) -> None:
    name = "admin-" + uuid.uuid4().hex[:6]
    weak = hq.cli(
        "createsuperuser", "--noinput", "--username", name, "--email", "a@example.org",
        check=False, env={"DJANGO_SUPERUSER_PASSWORD": "1"},
    )
    assert weak.returncode != 0
    assert "password" in weak.stderr.lower() and "Traceback" not in weak.stderr
    assert hq.scalar("SELECT count(*) FROM auth_user WHERE username = ?", name) == 0
    hq.cli(
        "createsuperuser", "--noinput", "--username", name, "--email", "a@example.org",
        env={"DJANGO_SUPERUSER_PASSWORD": "Tamazight-orchard-1987"},
    )
    assert hq.scalar("SELECT count(*) FROM auth_user WHERE username = ?", name) == 1


def test_add_staff_refuses_common_password(hq: HqServer, center: tuple[str, list[str]]) -> None:
    common = hq.cli(
        "add-staff", "--username", "staff-" + uuid.uuid4().hex[:6], "--role", "coordinator",
        "--center", center[0], "--password", "password123", check=False,
    )
    assert common.returncode == 2 and "refused" in common.stderr
