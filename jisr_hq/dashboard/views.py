"""The dashboard's pages (docs/hq.md, "Dashboard"): server-rendered, read-only, each behind an
HQ account whose scope decides the centers it sees. Pages read `IndicatorCell` rows that pushes
keep current; nothing is recomputed per view but the sums over the centers shown.

Small cells: any count of 1 to 4 persons is shown, and exported, as "< 5" (k-anonymity, law
09-08), on every page and every export, whatever the level."""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q, Sum
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jisr_hq.dashboard import exports, indicators
from jisr_hq.dashboard.divisions import name_of, region_of
from jisr_hq.dashboard.indicators import AGE_BANDS, ANY, SERVICES
from jisr_hq.dashboard.scopes import center_in_scope, scope_of, visible_centers
from jisr_hq.models import (
    Center,
    Device,
    IndicatorCell,
    Program,
    PushAudit,
    Record,
    WorkshopCategory,
)

K_ANONYMITY = 5
SILENT_DAYS = 7
SMALL = "< 5"

SERVICE_LABELS = {
    "nursery": gettext_lazy("Nursery"),
    "club": gettext_lazy("Elderly club"),
    "workshop": gettext_lazy("Workshops"),
    "guidance": gettext_lazy("Guidance visits"),
    ANY: gettext_lazy("Any service"),
}

need_login = login_required(login_url=reverse_lazy("dashboard:login"))


def cell(n: int) -> int | str:
    """A count as shown and exported: below K_ANONYMITY (but not zero) it is "< 5"."""
    return SMALL if 0 < n < K_ANONYMITY else n


def share(part: int, whole: int) -> str:
    """A percentage, withheld when either side counts fewer than K_ANONYMITY persons."""
    if whole == 0:
        return "—"
    if part < K_ANONYMITY or whole - part < K_ANONYMITY:
        return SMALL
    return f"{round(100 * part / whole)} %"


def _month(request: HttpRequest) -> str:
    text = request.GET.get("month", "")
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return text
    today = timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


def _shift(month: str, months: int) -> str:
    y, m = int(month[:4]), int(month[5:])
    n = y * 12 + (m - 1) + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


class Sums:
    """The cells of some centers and months, summed per (center, month, indicator, breakdown):
    every breakdown of `months`, and only the totals (breakdown "all") of `totals_of` — what
    the comparison columns need, a fraction of the rows at national scale."""

    def __init__(
        self,
        center_ids: Iterable[uuid.UUID],
        months: Iterable[str],
        totals_of: Iterable[str] = (),
    ) -> None:
        self.by: dict[tuple[uuid.UUID, str, str, str], int] = {}
        center_ids = list(center_ids)
        months = sorted(set(months))
        totals = sorted(set(totals_of) - set(months))
        indicators.refresh_stale(center_ids)
        cells = IndicatorCell.objects.filter(center_id__in=center_ids)
        fields = ("center_id", "month", "indicator", "breakdown", "value")
        for query in (
            cells.filter(month__in=months),
            cells.filter(month__in=totals, breakdown="all") if totals else None,
        ):
            if query is not None:
                for row in query.values_list(*fields):
                    self.by[row[:4]] = row[4]

    def value(
        self, centers: Iterable[uuid.UUID], months: Iterable[str], indicator: str, brk: str
    ) -> int:
        months = list(months)
        return sum(self.by.get((c, m, indicator, brk), 0) for c in centers for m in months)

    def details(self, service: str) -> list[str]:
        """The categories (workshops) or programs (visits) the loaded cells break `service`
        down by."""
        prefix = f"served:{service}:"
        return sorted({k[2][len(prefix):] for k in self.by if k[2].startswith(prefix)})

    def total(
        self, centers: Iterable[uuid.UUID], months: Iterable[str], service: str, brk: str = "all"
    ) -> int:
        return self.value(centers, months, f"served:{service}", brk)


DETAIL_CATALOGUES = {"workshop": WorkshopCategory, "guidance": Program}


def _detail_rows(
    sums: Sums, ids: list[uuid.UUID], service: str, months: list[list[str]], lang: str
) -> list[dict[str, Any]]:
    """One row per workshop category or program of `service`, in catalogue order: the persons
    served in each of `months` (each a list of months summed), and the share of women."""
    codes = sums.details(service)
    catalogue = {
        c.code: c for c in DETAIL_CATALOGUES[service].objects.filter(code__in=codes)
    }

    def order(code: str) -> tuple[int, str]:
        item = catalogue.get(code)
        return (item.sort_order if item else 1_000_000, code)

    rows = []
    for code in sorted(codes, key=order):
        item = catalogue.get(code)
        label = (item.name_ar if lang == "ar" else item.name_fr) if item else code
        detail = f"{service}:{code}"
        women = sums.total(ids, months[0], detail, "sex:F")
        men = sums.total(ids, months[0], detail, "sex:M")
        rows.append(
            {
                "label": label,
                "code": code,
                "values": [cell(sums.total(ids, m, detail)) for m in months]
                + [share(women, women + men)],
            }
        )
    return rows


def _frame(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    lang = get_language() or "fr"
    path = request.get_full_path()
    other = "fr" if lang == "ar" else "ar"
    switch = re.sub(r"^/(ar|fr|en)/", f"/{other}/", path)
    return {"lang": lang, "other_lang": other, "switch_url": switch, **extra}


def _export(
    request: HttpRequest, name: str, header: list[Any], rows: list[list[Any]]
) -> HttpResponse | None:
    fmt = request.GET.get("format")
    if fmt == "csv":
        return exports.csv_response(name, header, rows)
    if fmt == "xlsx":
        return exports.xlsx_response(name, header, rows, rtl=get_language() == "ar")
    return None


def _drill(
    request: HttpRequest, centers: list[Center]
) -> tuple[list[Center], list[dict[str, str]], str]:
    """Narrow the scope's centers by ?region= / ?province= (never widen: unknown → 404)."""
    lang = get_language() or "fr"
    crumbs: list[dict[str, str]] = []
    level = "region"
    region, province = request.GET.get("region"), request.GET.get("province")
    if region:
        centers = [c for c in centers if region_of(c.province_code) == region]
        if not centers:
            raise Http404("no such region in scope")
        crumbs.append({"name": name_of(region, lang), "query": f"region={region}"})
        level = "province"
    if province:
        centers = [c for c in centers if c.province_code == province]
        if not centers:
            raise Http404("no such province in scope")
        crumbs.append(
            {
                "name": name_of(province, lang),
                "query": f"region={region_of(province)}&province={province}",
            }
        )
        level = "center"
    return centers, crumbs, level


@need_login
def overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if scope is None:
        raise Http404("no dashboard scope")
    centers, crumbs, level = _drill(request, visible_centers(scope))
    if scope.level == "province" and level == "region":
        level = "center"
    elif scope.level == "region" and level == "region":
        level = "province"
    elif scope.level == "center":
        level = "center"
    month = _month(request)
    prev, last_year = _shift(month, -1), _shift(month, -12)
    ytd = [f"{month[:4]}-{m:02d}" for m in range(1, int(month[5:]) + 1)]
    ids = [c.id for c in centers]
    sums = Sums(ids, [month], totals_of=[prev, last_year, *ytd])
    lang = get_language() or "fr"

    services: list[dict[str, Any]] = []
    for svc in (*SERVICES, ANY):
        now = sums.total(ids, [month], svc)
        services.append(
            {
                "label": str(SERVICE_LABELS[svc]),
                "values": [
                    cell(now),
                    cell(sums.total(ids, [prev], svc)),
                    cell(sums.total(ids, [last_year], svc)),
                    cell(sums.total(ids, ytd, svc)),
                ],
                "raw": now,
            }
        )
    top = max([s["raw"] for s in services[:-1]] + [1])
    rtl = lang == "ar"
    for s in services:
        width = round(100 * s["raw"] / top) if s["raw"] >= K_ANONYMITY else 0
        s["bar"] = width
        s["bar_x"] = 100 - width if rtl else 0

    breakdowns = []
    for brk, label in [
        ("sex:F", _("Women and girls")),
        ("sex:M", _("Men and boys")),
        *[(f"age:{b}", _("Age %(band)s") % {"band": b}) for _lo, _hi, b in AGE_BANDS],
    ]:
        breakdowns.append(
            {
                "label": label,
                "values": [cell(sums.total(ids, [month], svc, brk)) for svc in (*SERVICES, ANY)],
            }
        )

    periods = [[month], [prev], [last_year], ytd]
    workshops = _detail_rows(sums, ids, "workshop", periods, lang)
    programs = _detail_rows(sums, ids, "guidance", periods, lang)
    detail_header = [
        _("This month"),
        _("Previous month"),
        _("Same month last year"),
        _("Year to date (person-months)"),
        _("Share of women, this month"),
    ]
    workshop_header = [_("Workshop category"), *detail_header]
    program_header = [_("Program"), *detail_header]

    groups: dict[str, list[Center]] = defaultdict(list)
    for c in centers:
        key = {"region": region_of(c.province_code), "province": c.province_code}.get(level, c.code)
        groups[key].append(c)
    drill = []
    for key in sorted(groups):
        members = [c.id for c in groups[key]]
        if level == "region":
            name, query = name_of(key, lang), f"region={key}"
        elif level == "province":
            name, query = name_of(key, lang), f"region={region_of(key)}&province={key}"
        else:
            c = groups[key][0]
            name, query = (c.name_ar if lang == "ar" else c.name_fr), ""
        women = sums.total(members, [month], "workshop", "sex:F")
        men = sums.total(members, [month], "workshop", "sex:M")
        drill.append(
            {
                "key": key,
                "name": name,
                "query": query,
                "center_code": groups[key][0].code if level == "center" else "",
                "values": [
                    cell(sums.total(members, [month], ANY)),
                    cell(sums.total(members, [prev], ANY)),
                    cell(sums.total(members, [month], "nursery")),
                    cell(sums.total(members, [prev], "nursery")),
                    cell(sums.total(members, [month], "workshop")),
                    share(women, women + men),
                ],
            }
        )

    service_header = [
        _("Service"),
        _("This month"),
        _("Previous month"),
        _("Same month last year"),
        _("Year to date (person-months)"),
    ]
    drill_header = [
        _("Name"),
        _("Persons served"),
        _("Previous month"),
        _("Nursery"),
        _("Nursery, previous month"),
        _("Workshops"),
        _("Women in workshops"),
    ]
    breakdown_header = [_("Group"), *[str(SERVICE_LABELS[s]) for s in (*SERVICES, ANY)]]
    table = request.GET.get("table", "drill")
    if table == "services":
        resp = _export(
            request,
            f"services-{month}",
            service_header,
            [[s["label"], *s["values"]] for s in services],
        )
    elif table == "breakdown":
        resp = _export(
            request,
            f"breakdown-{month}",
            breakdown_header,
            [[b["label"], *b["values"]] for b in breakdowns],
        )
    elif table in ("workshops", "programs"):
        rows, head = (workshops, workshop_header) if table == "workshops" else (
            programs, program_header)
        resp = _export(request, f"{table}-{month}", head, [[r["label"], *r["values"]] for r in rows])
    else:
        resp = _export(
            request, f"centers-{month}", drill_header, [[d["name"], *d["values"]] for d in drill]
        )
    if resp is not None:
        return resp
    template = "dashboard/report.html" if request.GET.get("print") else "dashboard/overview.html"
    return render(
        request,
        template,
        _frame(
            request,
            scope=scope,
            month=month,
            prev_month=_shift(month, -1),
            next_month=_shift(month, 1),
            crumbs=crumbs,
            level=level,
            services=services,
            service_header=service_header,
            breakdowns=breakdowns,
            breakdown_header=breakdown_header,
            workshops=workshops,
            workshop_header=workshop_header,
            programs=programs,
            program_header=program_header,
            drill=drill,
            drill_header=drill_header,
            query=request.GET.urlencode(),
            generated=timezone.localtime(),
        ),
    )


@need_login
def center_sheet(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_of(request.user)
    center = center_in_scope(scope, code)
    month = _month(request)
    prev, last_year = _shift(month, -1), _shift(month, -12)
    ytd = [f"{month[:4]}-{m:02d}" for m in range(1, int(month[5:]) + 1)]
    sums = Sums([center.id], [month, prev, last_year, *ytd])
    services = [
        {
            "label": str(SERVICE_LABELS[svc]),
            "values": [cell(sums.total([center.id], [m], svc)) for m in (month, prev, last_year)]
            + [cell(sums.total([center.id], ytd, svc))],
        }
        for svc in (*SERVICES, ANY)
    ]
    records = Record.objects.filter(center_id=center.id, partition="center", deleted=False)
    enrollments = records.filter(entity="enrollment", fields__service="nursery")
    active = enrollments.filter(fields__status="active").count()
    waiting = enrollments.filter(fields__status="waitlisted").count()
    persons = records.filter(entity="person")
    n_persons = persons.count()
    no_cin = persons.filter(Q(fields__cin__isnull=True) | Q(fields__cin="")).count()
    no_phone = persons.filter(Q(fields__phone__isnull=True) | Q(fields__phone="")).count()
    quality = [
        (_("Persons on file"), cell(n_persons)),
        (_("Without CIN"), share(no_cin, n_persons)),
        (_("Without phone"), share(no_phone, n_persons)),
        (_("Possible duplicates (same names and birth date)"), cell(_possible_duplicates(persons))),
    ]
    one = [center.id]
    days_open = sums.value(one, [month], "days_open", "all")
    attendance = [(_("Days open"), days_open or "—")]
    for svc in indicators.DAY_SERVICES:
        days = sums.value(one, [month], "days_open", f"service:{svc}")
        present = sums.value(one, [month], "present_days", f"service:{svc}")
        average = round(present / days, 1) if days else 0
        attendance.append(
            (
                _("%(service)s: average daily attendance") % {"service": SERVICE_LABELS[svc]},
                (SMALL if average < K_ANONYMITY else f"{average:g}") if days else "—",
            )
        )
    members = records.filter(entity="enrollment", fields__service="club", fields__status="active")
    activity = _campaigns_and_referrals(records, month)
    header = [
        _("Service"),
        _("This month"),
        _("Previous month"),
        _("Same month last year"),
        _("Year to date (person-months)"),
    ]
    resp = _export(
        request,
        f"center-{center.code}-{month}",
        header,
        [[s["label"], *s["values"]] for s in services],
    )
    if resp is not None:
        return resp
    return render(
        request,
        "dashboard/center.html",
        _frame(
            request,
            center=center,
            center_name=center.name_ar if get_language() == "ar" else center.name_fr,
            province=name_of(center.province_code, get_language() or "fr"),
            month=month,
            services=services,
            header=header,
            capacity=center.nursery_capacity,
            active=cell(active),
            waiting=cell(waiting),
            occupancy=f"{round(100 * active / center.nursery_capacity)} %"
            if center.nursery_capacity and active >= K_ANONYMITY
            else "—",
            club_members=cell(members.count()),
            attendance=attendance,
            campaigns=activity["campaigns"],
            referrals=activity["referrals"],
            quality=quality,
        ),
    )


def _possible_duplicates(persons: Any) -> int:
    """Persons sharing their Arabic given and family names and birth date with another."""
    groups = (
        persons.exclude(fields__birth_date__isnull=True)
        .values(
            given=KT("fields__given_name_ar"),
            family=KT("fields__family_name_ar"),
            birth=KT("fields__birth_date"),
        )
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return sum(g["n"] for g in groups)


def _campaigns_and_referrals(records: Any, month: str) -> dict[str, list[tuple[str, Any]]]:
    """The month's campaigns and their participants, and its referrals by outcome, from the
    center's synced records (one center: a few hundred rows at most)."""
    campaigns = [
        str(c)
        for c in records.filter(
            entity="campaign", fields__day__startswith=month + "-"
        ).values_list("entity_id", flat=True)
    ]
    counted = sum(
        int(n)
        for n in records.filter(
            entity="campaign_count", fields__campaign_id__in=campaigns
        ).values_list(KT("fields__count"), flat=True)
        if n is not None and str(n).isdigit()
    )
    named = records.filter(
        entity="campaign_participant", fields__campaign_id__in=campaigns
    ).count()
    referrals = records.filter(entity="referral", fields__referred_on__startswith=month + "-")
    by_outcome = Counter(referrals.values_list(KT("fields__outcome"), flat=True))
    labels = {
        "obtained": _("Obtained"),
        "refused": _("Refused"),
        "pending": _("Pending"),
        "unreachable": _("Person unreachable"),
        None: _("No outcome yet"),
    }
    return {
        "campaigns": [
            (_("Campaigns held"), len(campaigns)),
            (_("Participants (counted and named)"), cell(counted + named)),
        ],
        "referrals": [
            (
                label,
                cell(
                    by_outcome.get(code, 0)
                    if code is not None
                    else sum(by_outcome.values()) - sum(by_outcome[c] for c in labels if c)
                ),
            )
            for code, label in labels.items()
        ],
    }


@need_login
def sync_health(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if scope is None:
        raise Http404("no dashboard scope")
    centers = visible_centers(scope)
    by_id = {c.id: c for c in centers}
    now = timezone.now()
    audits = {
        row["device_id"]: row
        for row in PushAudit.objects.filter(center_id__in=list(by_id))
        .values("device_id")
        .annotate(
            last_ok=Max("created", filter=Q(status="ok")),
            rejected=Sum("rejected"),
            pushes=Count("id"),
        )
    }
    lang = get_language() or "fr"
    devices = []
    last_by_center: dict[uuid.UUID, Any] = {}
    for dev in Device.objects.filter(center_id__in=list(by_id), revoked=False).order_by(
        "center_id", "name"
    ):
        audit = audits.get(dev.id, {})
        last = max([t for t in (dev.last_seen, audit.get("last_ok")) if t], default=None)
        days = (now - last).days if last else None
        prev = last_by_center.get(dev.center_id)
        if dev.center_id not in last_by_center or (last and (prev is None or last > prev)):
            last_by_center[dev.center_id] = last
        center = by_id[dev.center_id]
        devices.append(
            {
                "center": center.name_ar if lang == "ar" else center.name_fr,
                "code": center.code,
                "device": dev.name,
                "last": timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "—",
                "days": days if days is not None else "—",
                "rejected": audit.get("rejected") or 0,
                "quarantined": dev.kept_aside,
                "version": dev.app_version or "—",
                "silent": days is None or days > SILENT_DAYS,
                "needs_repair": dev.kept_aside > 0,
            }
        )
    to_call = []
    for center in centers:
        last = last_by_center.get(center.id)
        if last is None or now - last > timedelta(days=SILENT_DAYS):
            to_call.append(
                {
                    "name": center.name_ar if lang == "ar" else center.name_fr,
                    "code": center.code,
                    "province": name_of(center.province_code, lang),
                    "last": timezone.localtime(last).strftime("%Y-%m-%d") if last else _("never"),
                }
            )
    header = [
        _("Center"),
        _("Code"),
        _("Device"),
        _("Last sync"),
        _("Days since"),
        _("Ops rejected"),
        _("Rows kept aside"),
        _("Version"),
    ]
    rows = [
        [
            d["center"],
            d["code"],
            d["device"],
            d["last"],
            d["days"],
            d["rejected"],
            d["quarantined"],
            d["version"],
        ]
        for d in devices
    ]
    if request.GET.get("table") == "call":
        resp = _export(
            request,
            "centers-to-call",
            [_("Center"), _("Code"), _("Province"), _("Last sync")],
            [[c["name"], c["code"], c["province"], c["last"]] for c in to_call],
        )
    else:
        resp = _export(request, "sync-health", header, rows)
    if resp is not None:
        return resp
    return render(
        request,
        "dashboard/health.html",
        _frame(request, devices=devices, header=header, to_call=to_call, silent_days=SILENT_DAYS),
    )
