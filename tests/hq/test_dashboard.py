"""The ministry's dashboard against a real HQ (SQLite and PostgreSQL): indicators refreshed by
pushes, scopes by crafted URLs, small-cell suppression on pages and exports (docs/hq.md,
"Dashboard")."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from jisr_protocol import APP_VERSION_HEADER, KEPT_ASIDE_HEADER
from tests.hq import dashkit
from tests.hq.dashkit import add_user, event, new_center, person_op, row_of, serve_people
from tests.hq.hqkit import HqServer, SimDesktop


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """Clients and desktops a test opens, closed after it."""
    items: list[Any] = []
    yield items
    for item in items:
        item.close()


def desktop(opened: list[Any], hq: HqServer, code: str) -> SimDesktop:
    desk = SimDesktop.enroll(hq.base_url, code)
    opened.append(desk)
    return desk


def signed_in(opened: list[Any], hq: HqServer, user: str, lang: str = "fr") -> httpx.Client:
    web = dashkit.signed_in(hq, user, lang)
    opened.append(web)
    return web


MONTH = "2026-03"


def test_a_push_changes_the_figures_and_small_cells_are_suppressed(
    hq: HqServer, opened: list[Any]
) -> None:
    code, enroll = new_center(hq, "04.421")
    desk = desktop(opened, hq, enroll)
    user = add_user(hq, f"center:{code}")
    web = signed_in(opened, hq, user)
    page = web.get(f"/fr/dashboard/center/{code}/?month={MONTH}")
    assert page.status_code == 200
    assert row_of(page.text, "services", "Crèche")[0] == "0"

    serve_people(desk, 3)  # three children: a cell of fewer than 5
    page = web.get(f"/fr/dashboard/center/{code}/?month={MONTH}")
    assert row_of(page.text, "services", "Crèche")[0] == "&lt; 5"
    exported = web.get(f"/fr/dashboard/center/{code}/?month={MONTH}&format=csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[1][:2] == ["Crèche", "< 5"] or rows[1][1] == "< 5"

    serve_people(desk, 4)  # seven now: shown as a number
    page = web.get(f"/fr/dashboard/center/{code}/?month={MONTH}")
    assert row_of(page.text, "services", "Crèche")[0] == "7"
    # The same child checked in again the same month is still one child.
    ids = serve_people(desk, 5, service="workshop", sex="F", birth="1990-05-05")
    page = web.get(f"/fr/dashboard/center/{code}/?month={MONTH}")
    assert row_of(page.text, "services", "Ateliers")[0] == "5"
    assert row_of(page.text, "services", "Tous services")[0] == "12"
    assert ids


def test_rebuild_gives_the_figures_the_pushes_gave(hq: HqServer, opened: list[Any]) -> None:
    code, enroll = new_center(hq, "04.441")
    desk = desktop(opened, hq, enroll)
    serve_people(desk, 6, service="guidance", sex="M", birth="1950-01-01")
    # The push only marks its (center, month) stale; the first page reading it recomputes it.
    stale = "SELECT month FROM jisr_hq_indicatorstale WHERE center_id = ?"
    assert hq.query(stale, hq.uid(desk.center_id)) == [(MONTH,)]
    web = signed_in(opened, hq, add_user(hq, f"center:{code}"))
    assert web.get(f"/fr/dashboard/center/{code}/?month={MONTH}").status_code == 200
    assert hq.query(stale, hq.uid(desk.center_id)) == []
    before = hq.query(
        "SELECT indicator, breakdown, value FROM jisr_hq_indicatorcell WHERE center_id = ?"
        " ORDER BY indicator, breakdown",
        hq.uid(desk.center_id),
    )
    assert ("served:guidance", "age:60+", 6) in before
    hq.cli("rebuild_indicators")
    after = hq.query(
        "SELECT indicator, breakdown, value FROM jisr_hq_indicatorcell WHERE center_id = ?"
        " ORDER BY indicator, breakdown",
        hq.uid(desk.center_id),
    )
    assert after == before


def test_scopes_hold_against_crafted_urls(hq: HqServer, opened: list[Any]) -> None:
    rabat, code_r = new_center(hq, "04.421")
    casa, code_c = new_center(hq, "06.141")
    for enroll in (code_r, code_c):
        serve_people(desktop(opened, hq, enroll), 6)
    provincial = signed_in(opened, hq, add_user(hq, "province:04.421"))
    assert provincial.get(f"/fr/dashboard/center/{rabat}/").status_code == 200
    assert provincial.get(f"/fr/dashboard/center/{casa}/").status_code == 404
    assert provincial.get("/fr/dashboard/?region=06").status_code == 404
    assert provincial.get("/fr/dashboard/?region=06&province=06.141").status_code == 404
    page = provincial.get(f"/fr/dashboard/?month={MONTH}").text
    assert rabat in page and casa not in page
    health = provincial.get("/fr/dashboard/health/").text
    assert rabat in health and casa not in health
    export = provincial.get("/fr/dashboard/health/?format=csv").text
    assert rabat in export and casa not in export

    regional = signed_in(opened, hq, add_user(hq, "region:06"))
    assert regional.get(f"/fr/dashboard/center/{casa}/").status_code == 200
    assert regional.get(f"/fr/dashboard/center/{rabat}/").status_code == 404

    national = signed_in(opened, hq, add_user(hq, "national"))
    page = national.get(f"/fr/dashboard/?month={MONTH}").text
    assert 'data-key="04"' in page and 'data-key="06"' in page  # regions first
    drill = national.get(f"/fr/dashboard/?region=04&month={MONTH}").text
    assert 'data-key="04.421"' in drill and 'data-key="06.141"' not in drill
    centers = national.get(f"/fr/dashboard/?region=04&province=04.421&month={MONTH}").text
    assert f"/dashboard/center/{rabat}/" in centers

    anonymous = httpx.Client(base_url=hq.base_url, verify=hq.verify())  # no session
    opened.append(anonymous)
    r = anonymous.get("/fr/dashboard/", follow_redirects=False)
    assert r.status_code == 302 and "/dashboard/login/" in r.headers["location"]


def test_exports_and_languages(hq: HqServer, opened: list[Any]) -> None:
    _code, enroll = new_center(hq, "04.421")
    serve_people(desktop(opened, hq, enroll), 2, service="club", birth="1950-02-02")
    web = signed_in(opened, hq, add_user(hq, "national"), lang="ar")
    page = web.get(f"/ar/dashboard/?month={MONTH}&region=04&province=04.421")
    assert 'dir="rtl"' in page.text and 'lang="ar"' in page.text
    fr = web.get(f"/fr/dashboard/?month={MONTH}")
    assert 'dir="ltr"' in fr.text and 'lang="fr"' in fr.text
    xlsx = web.get(
        f"/ar/dashboard/?month={MONTH}&region=04&province=04.421&table=drill&format=xlsx"
    )
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert 'rightToLeft="1"' in sheet
    assert "&lt; 5" in sheet  # the club's two elders of this center
    report = web.get(f"/fr/dashboard/?month={MONTH}&print=1")
    assert report.status_code == 200 and "print.js" in report.text


def test_sync_health_lists_silent_centers(hq: HqServer, opened: list[Any]) -> None:
    code, enroll = new_center(hq, "04.421")
    silent, enroll_s = new_center(hq, "04.421")
    serve_people(desktop(opened, hq, enroll), 1)
    desktop(opened, hq, enroll_s)
    hq.execute(
        "UPDATE jisr_hq_device SET last_seen = ? WHERE center_id = (SELECT id FROM"
        " jisr_hq_center WHERE code = ?)",
        "2020-01-01 00:00:00+00:00",
        silent,
    )
    web = signed_in(opened, hq, add_user(hq, "province:04.421"))
    page = web.get("/fr/dashboard/health/").text
    to_call = page.split('id="to-call"')[1].split("</ul>")[0]
    assert silent in to_call and code not in to_call
    assert f'class="silent" data-code="{silent}"' in page
    assert f'class="fresh" data-code="{code}"' in page


def _workshop_attendance(desk: SimDesktop, category: str, n: int, sex: str) -> None:
    """A workshop of `category` with one session, and `n` new persons present at it."""
    workshop, session = str(uuid.uuid4()), str(uuid.uuid4())
    ops = [
        desk.op(
            "workshop",
            workshop,
            patch={"center_id": desk.center_id, "category_code": category, "title": "T"},
        ),
        desk.op(
            "workshop_session",
            session,
            patch={
                "workshop_id": workshop,
                "starts_at": "2026-03-02T09:00:00+00:00",
                "ends_at": "2026-03-02T11:00:00+00:00",
            },
        ),
    ]
    r = desk.push(ops)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    ops = []
    for _ in range(n):
        pid = str(uuid.uuid4())
        ops.append(person_op(desk, pid, sex=sex, birth="1995-01-01"))
        att = event(desk, "workshop", pid, "2026-03-02")
        att["patch"]["session_id"] = session
        ops.append(att)
    r = desk.push(ops)
    assert r.status_code == 200 and not r.json()["rejected"], r.text


def test_workshops_by_category_and_visits_by_program(hq: HqServer, opened: list[Any]) -> None:
    code, enroll = new_center(hq, "04.441")
    desk = desktop(opened, hq, enroll)
    _workshop_attendance(desk, "crafts", 6, "F")
    _workshop_attendance(desk, "crafts", 5, "M")
    _workshop_attendance(desk, "digital_skills", 3, "F")
    serve_people(desk, 7, service="guidance", sex="F", birth="1980-01-01")  # program "rsu"
    web = signed_in(opened, hq, add_user(hq, f"center:{code}"))
    page = web.get(f"/fr/dashboard/?month={MONTH}").text
    # This month, previous month, same month last year, year to date, share of women.
    assert row_of(page, "workshops", "Artisanat") == ["11", "0", "0", "11", "55 %"]
    assert row_of(page, "workshops", "Compétences numériques")[:2] == ["&lt; 5", "0"]
    assert row_of(page, "programs", "Registre social unifié")[0] == "7"
    ar = signed_in(opened, hq, add_user(hq, f"center:{code}"), "ar")
    assert row_of(ar.get(f"/ar/dashboard/?month={MONTH}").text, "workshops", "الحرف اليدوية")[
        0
    ] == "11"
    exported = web.get(f"/fr/dashboard/?month={MONTH}&table=workshops&format=csv").text
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert ["Compétences numériques", "< 5", "0", "0", "< 5", "< 5"] in rows
    # The facts of the breakdown come back the same from a rebuild.
    cells = (
        "SELECT indicator, breakdown, value FROM jisr_hq_indicatorcell WHERE center_id = ?"
        " AND indicator LIKE ? ORDER BY indicator, breakdown"
    )
    before = hq.query(cells, hq.uid(desk.center_id), "served:%:%")
    assert ("served:workshop:crafts", "sex:F", 6) in before
    hq.cli("rebuild_indicators")
    web.get(f"/fr/dashboard/?month={MONTH}")
    assert hq.query(cells, hq.uid(desk.center_id), "served:%:%") == before


def test_sync_health_shows_each_desktops_version_and_rows_kept_aside(
    hq: HqServer, opened: list[Any]
) -> None:
    code, enroll = new_center(hq, "04.421")
    desk = desktop(opened, hq, enroll)
    web = signed_in(opened, hq, add_user(hq, f"center:{code}"))

    def pull(version: str, kept: str) -> None:
        headers = {**desk.headers, APP_VERSION_HEADER: version, KEPT_ASIDE_HEADER: kept}
        r = desk.http.get("/pull", params={"cursor": "", "limit": 10}, headers=headers)
        assert r.status_code == 200, r.text

    def device_row() -> list[str]:
        page = web.get("/fr/dashboard/health/").text
        row = re.search(rf'<tr class="\w+" data-code="{code}">(.*?)</tr>', page, re.S)
        assert row, page[:300]
        return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", row[1])]

    assert device_row()[-2:] == ["0", "—"]
    pull("2.4.1", "3")
    assert device_row()[-2:] == ["3", "2.4.1"]
    assert 'class="repair"' in web.get("/fr/dashboard/health/").text
    # Malformed reports change nothing; a repaired desktop reports 0 again.
    pull("<script>", "-1")
    assert device_row()[-2:] == ["3", "2.4.1"]
    pull("2.4.2", "0")
    assert device_row()[-2:] == ["0", "2.4.2"]
    exported = web.get("/fr/dashboard/health/?format=csv").text
    assert any(r[-2:] == ["0", "2.4.2"] for r in csv.reader(io.StringIO(exported)) if r)


def test_center_sheet_attendance_campaigns_referrals_and_duplicates(
    hq: HqServer, opened: list[Any]
) -> None:
    code, enroll = new_center(hq, "04.421")
    desk = desktop(opened, hq, enroll)
    children = serve_people(desk, 6, day="2026-03-02")  # six children on the 2nd
    again = [event(desk, "nursery", pid, "2026-03-03") for pid in children[:5]]  # five on the 3rd
    campaign = str(uuid.uuid4())
    ops = [
        *again,
        desk.op(
            "campaign",
            campaign,
            patch={"center_id": desk.center_id, "topic": "Hygiène", "day": "2026-03-05"},
        ),
        desk.op(
            "campaign_count",
            uuid.uuid4(),
            patch={"campaign_id": campaign, "sex": "F", "age_band": "30-59", "count": 12},
        ),
        desk.op(
            "campaign_participant",
            uuid.uuid4(),
            patch={"campaign_id": campaign, "person_id": children[0]},
        ),
    ]
    for n, (pid, outcome) in enumerate(
        [(children[i % 6], "obtained") for i in range(6)] + [(children[0], None)] * 2
    ):
        ops.append(
            desk.op(
                "referral",
                uuid.uuid4(),
                patch={
                    "center_id": desk.center_id,
                    "person_id": pid,
                    "program_code": "rsu",
                    "referred_on": f"2026-03-{10 + n:02d}",
                    "due_on": "2026-04-30",
                    "outcome": outcome,
                },
            )
        )
    r = desk.push(ops)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    web = signed_in(opened, hq, add_user(hq, f"center:{code}"))
    page = web.get(f"/fr/dashboard/center/{code}/?month={MONTH}").text
    assert row_of(page, "attendance", "Jours d") == ["2"]
    assert row_of(page, "attendance", "Crèche : fréquentation moyenne") == ["5.5"]
    assert row_of(page, "attendance", "Club des aînés") == ["—"]
    assert row_of(page, "campaigns", "Campagnes tenues") == ["1"]
    assert row_of(page, "campaigns", "Participants") == ["13"]
    assert row_of(page, "referrals", "Obtenu") == ["6"]
    assert row_of(page, "referrals", "Pas encore de suite") == ["&lt; 5"]
    # serve_people gives every person the same names and birth date: all six are suspects.
    assert row_of(page, "quality", "Doublons possibles") == ["6"]
    ar = signed_in(opened, hq, add_user(hq, f"center:{code}"), "ar")
    assert row_of(ar.get(f"/ar/dashboard/center/{code}/?month={MONTH}").text, "attendance",
                  "أيام الاشتغال") == ["2"]
