"""Helpers for the dashboard tests: centers in real provinces, persons and events pushed by
SimDesktops, and a signed-in browser-like HTTP session."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.hq.hqkit import HqServer, SimDesktop


def new_center(hq: HqServer, province: str) -> tuple[str, str]:
    """A center in `province` (a reference division code); returns (code, enrollment code)."""
    code = "D" + uuid.uuid4().hex[:8].upper()
    out = hq.cli(
        "create-center",
        "--code",
        code,
        "--name-fr",
        f"Centre {code}",
        "--name-ar",
        f"مركز {code}",
        "--province",
        province,
        "--codes",
        "1",
    ).stdout.split()
    return code, out[1]


def serve_people(
    desk: SimDesktop,
    n: int,
    *,
    service: str = "nursery",
    day: str = "2026-03-02",
    sex: str = "F",
    birth: str = "2023-01-01",
) -> list[str]:
    """Push `n` new persons, each checked in (or attending, visited) once on `day`."""
    ops: list[dict[str, Any]] = []
    ids = []
    for _ in range(n):
        pid = str(uuid.uuid4())
        ids.append(pid)
        ops.append(person_op(desk, pid, sex=sex, birth=birth))
        ops.append(event(desk, service, pid, day))
    r = desk.push(ops)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    return ids


def person_op(desk: SimDesktop, pid: str, *, sex: str, birth: str) -> dict[str, Any]:
    """A new person of the desktop's center (the same names for all: possible duplicates)."""
    return desk.op(
        "person",
        pid,
        patch={
            "center_id": desk.center_id,
            "given_name_ar": "س",
            "family_name_ar": "ع",
            "sex": sex,
            "birth_date": birth,
            "file_no": f"F-{pid[:8]}",
        },
    )


def event(desk: SimDesktop, service: str, pid: str, day: str) -> dict[str, Any]:
    at = f"{day}T09:00:00+00:00"
    if service in ("nursery", "club"):
        entity, fields = "check_in", {"service": service, "person_id": pid, "day": day, "at": at}
    elif service == "workshop":
        entity, fields = (
            "attendance",
            {
                "context": "workshop",
                "session_id": str(uuid.uuid4()),
                "person_id": pid,
                "status": "present",
                "day": day,
                "at": at,
            },
        )
    else:
        entity, fields = (
            "visit",
            {
                "person_id": pid,
                "visited_at": at,
                "day": day,
                "program_code": "rsu",
                "channel": "in_person",
                "outcome": "informed",
            },
        )
    return desk.op(entity, uuid.uuid4(), "event", fields)


def add_user(hq: HqServer, scope: str) -> str:
    name = "u" + uuid.uuid4().hex[:10]
    hq.cli(
        "create_dashboard_user",
        "--username",
        name,
        "--scope",
        scope,
        "--password",
        "correct horse battery",
    )
    return name


def signed_in(hq: HqServer, username: str, lang: str = "fr") -> httpx.Client:
    client = httpx.Client(base_url=hq.base_url, verify=hq.verify(), timeout=30)
    login = f"/{lang}/dashboard/login/"
    page = client.get(login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    r = client.post(
        login,
        data={
            "username": username,
            "password": "correct horse battery",
            "csrfmiddlewaretoken": token.group(1),
            "next": "",
        },
        headers={"Referer": hq.base_url + login},
    )
    assert r.status_code == 302, (r.status_code, r.text[:500])
    return client


def row_of(html: str, table_id: str, label: str) -> list[str]:
    """The cells of the row whose header is `label` in table `table_id`."""
    table = re.search(rf'<table class="data" id="{table_id}">(.*?)</table>', html, re.S)
    assert table, f"no table {table_id}"
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head and label in re.sub(r"<[^>]+>", "", head.group(1)):
            return [c.strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    raise AssertionError(f"no row {label!r} in {table_id}")
