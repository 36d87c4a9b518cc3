"""`jisr-hq` administration commands: they work, and mistakes give one clear line and a
non-zero exit (no traceback)."""

from __future__ import annotations

import uuid

import pytest

from tests.hq.hqkit import HqServer


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["enrollment-code", "--center", "NOPE"], "no center with code 'NOPE'"),
        (["revoke-device", "not-an-id"], "no device with id"),
        (["revoke-device", str(uuid.uuid4())], "no device with id"),
        (
            [
                "add-staff",
                "--username",
                "u",
                "--role",
                "boss",
                "--center",
                "X",
                "--password",
                "longenough",
            ],
            "role must be one of",
        ),
    ],
)
def test_cli_errors_are_one_line(hq: HqServer, args: list[str], needle: str) -> None:
    result = hq.cli(*args, check=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr


def test_create_center_twice_is_refused(hq: HqServer, center: tuple[str, list[str]]) -> None:
    result = hq.cli(
        "create-center",
        "--code",
        center[0],
        "--name-fr",
        "x",
        "--name-ar",
        "y",
        "--province",
        "CAS",
        check=False,
    )
    assert result.returncode == 2 and "already exists" in result.stderr


def test_add_staff_stores_an_argon2_hash(hq: HqServer, center: tuple[str, list[str]]) -> None:
    name = "staff-" + uuid.uuid4().hex[:6]
    hq.cli(
        "add-staff",
        "--username",
        name,
        "--role",
        "coordinator",
        "--center",
        center[0],
        "--password",
        "s3cret-pass",
    )
    stored = hq.scalar("SELECT password_hash FROM jisr_hq_staffaccount WHERE username = ?", name)
    from argon2 import PasswordHasher

    assert stored.startswith("$argon2id$") and PasswordHasher().verify(stored, "s3cret-pass")
    short = hq.cli(
        "add-staff",
        "--username",
        name + "x",
        "--role",
        "coordinator",
        "--center",
        center[0],
        "--password",
        "short",
        check=False,
    )
    assert short.returncode == 2


def test_admin_speaks_arabic_right_to_left_and_openapi_is_served(hq: HqServer) -> None:
    import httpx

    with httpx.Client(base_url=hq.base_url) as client:
        ar = client.get("/ar/admin/login/")
        assert ar.status_code == 200 and 'dir="rtl"' in ar.text and 'lang="ar"' in ar.text
        fr = client.get("/fr/admin/login/")
        assert 'lang="fr"' in fr.text and 'dir="rtl"' not in fr.text
        spec = client.get("/api/sync/openapi.json").json()
        assert {"/api/sync/push", "/api/sync/pull", "/api/sync/enroll"} <= set(spec["paths"])


def test_admin_lists_hq_tables_in_arabic(hq: HqServer) -> None:
    import re

    import httpx

    name = "admin" + uuid.uuid4().hex[:6]
    hq.cli(
        "createsuperuser",
        "--noinput",
        "--username",
        name,
        "--email",
        "a@example.org",
        env={"DJANGO_SUPERUSER_PASSWORD": "a-long-test-password"},
    )
    with httpx.Client(base_url=hq.base_url, follow_redirects=True) as client:
        login = client.get("/ar/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
        assert token is not None
        r = client.post(
            "/ar/admin/login/?next=/ar/admin/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": name,
                "password": "a-long-test-password",
                "next": "/ar/admin/",
            },
            headers={"Referer": hq.base_url + "/ar/admin/login/"},
        )
        assert r.status_code == 200 and 'dir="rtl"' in r.text
        assert "المراكز" in r.text and "حسابات الموظفين" in r.text
        fr = client.get("/fr/admin/")
        assert "Centres" in fr.text or "centres" in fr.text
        css = client.get("/static/admin/css/base.css")
        assert css.status_code == 200
