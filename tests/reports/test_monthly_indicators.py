"""Issue 14 point 5: the monthly report's figures and the indicators HQ asks for, on a center
generated through the real services (tests/reports/monthly_center.py), each recounted with
this file's own SQL and found in the real PDF parsed back, in French and in Arabic.

Old code: the visits-by-program table counted visits in its women/men columns and left its
persons total blank; there was no previous month, no year to date and none of the indicators
(occupancy, waiting list, days open, average daily attendance, enrollments and exits,
disability, completion rate, share of women, visits by outcome and channel)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest

from jisr_desktop.i18n import translate
from jisr_desktop.reports.monthly import build_monthly_report, monthly_figures
from jisr_desktop.reports.text import shape_line
from tests.reports import monthly_center as mc

NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)
PRINTED = datetime(2026, 12, 3, 10, 15, tzinfo=UTC)   # after the month: the final report
SERVICE_FR = {"nursery": "Crèche sociale", "club": "Club de jour des aînés", "club_activity": "Activités du club",
              "workshop": "Ateliers et formations", "visit": "Accueil et orientation",
              "campaign": "Campagnes de sensibilisation"}


@pytest.fixture(scope="module")
def center(generated_center: mc.Generated) -> tuple[mc.Generated, dict[str, bytes]]:
    """The generated center (tests/reports/conftest.py, only read) and its November report."""
    pdfs = {}
    for lang in ("fr", "ar"):
        out = io.BytesIO()
        build_monthly_report(out, db=generated_center.ctx.db, year=2026, month=11, lang=lang, printed_at=PRINTED)
        pdfs[lang] = out.getvalue()
    return generated_center, pdfs


def text_of(pdf: bytes) -> str:
    return "\n".join(line for page in mc.pdf_pages(pdf) for line in page)


def fr_line(*cells: object) -> str:
    return " ".join(str(c) for c in cells)


def ar_line(*cells: object) -> str:
    """A table row of an Arabic page as drawn: first column at the right."""
    return " ".join(shape_line(str(c), True) if any("\u0600" <= ch <= "\u06ff" for ch in str(c)) else str(c)
                    for c in reversed(cells))


def test_services_this_month_previous_month_and_year_to_date_match_sql(center) -> None:
    g, pdfs = center
    db = g.ctx.db
    now = mc.expected_services(db, NOV_1, NOV_30)
    before = mc.expected_services(db, date(2026, 10, 1), date(2026, 10, 31))
    ytd = mc.expected_services(db, date(2026, 1, 1), NOV_30)
    assert set(now) == {"nursery", "club", "workshop", "visit", "campaign"}
    assert ytd["visit"][1] > now["visit"][1] + before["visit"][1]  # the March visits count in the year
    f = monthly_figures(db, 2026, 11, printed_at=PRINTED)
    for service, (persons, attendances) in now.items():
        assert (f.total_persons(service), f.total_attendances(service)) == (persons, attendances), service
        assert (f.previous[service].persons, f.previous[service].attendances) == before[service], service
        assert (f.year_to_date[service].persons, f.year_to_date[service].attendances) == ytd[service], service
    fr, ar = text_of(pdfs["fr"]), text_of(pdfs["ar"])
    units = {"nursery": "jours (pointages)", "club": "jours (pointages)", "club_activity": "activités suivies",
             "workshop": "séances suivies", "visit": "visites", "campaign": "effectifs"}
    ar_names = {"nursery": "الحضانة الاجتماعية", "club": "النادي النهاري للمسنين", "visit": "الاستقبال والتوجيه"}
    for service, label in SERVICE_FR.items():
        p, a, y = (d.get(service, (0, 0)) for d in (now, before, ytd))
        assert fr_line(label, p[0], a[0], y[0]) in fr, service                       # persons
        assert fr_line(label, units[service], p[1], a[1], y[1]) in fr, service       # attendances
        assert fr_line(label, p[0], p[1], units[service]) in fr, service              # this month
        if service in ar_names:
            assert ar_line(ar_names[service], p[0], a[0], y[0]) in ar, service
    # a child who left at noon and came back is one day at the nursery, not two
    (stays,) = db.execute(f"SELECT count(*) FROM ({mc.LIVE_CHECK_INS}) WHERE service = 'nursery'"
                          " AND day BETWEEN ? AND ?", [NOV_1.isoformat(), NOV_30.isoformat()]).fetchone()
    assert stays - now["nursery"][1] == g.second_stays_november


def test_visits_by_program_count_persons_and_fill_the_persons_total(center) -> None:
    g, pdfs = center
    db = g.ctx.db
    span = [NOV_1.isoformat(), NOV_30.isoformat()]
    rows = db.execute(
        "SELECT g.code, g.name_fr, g.name_ar, count(v.id), count(DISTINCT v.person_id),"
        " count(DISTINCT CASE WHEN p.sex = 'F' THEN v.person_id END),"
        " count(DISTINCT CASE WHEN p.sex = 'M' THEN v.person_id END)"
        " FROM program g LEFT JOIN visit v ON v.program_code = g.code AND v.day BETWEEN ? AND ?"
        " LEFT JOIN person p ON p.id = v.person_id GROUP BY g.code ORDER BY g.position", span).fetchall()
    total = db.execute("SELECT count(*), count(DISTINCT v.person_id),"
                       " count(DISTINCT CASE WHEN p.sex = 'F' THEN v.person_id END),"
                       " count(DISTINCT CASE WHEN p.sex = 'M' THEN v.person_id END)"
                       " FROM visit v JOIN person p ON p.id = v.person_id WHERE v.day BETWEEN ? AND ?",
                       span).fetchone()
    # someone came twice for one program: visits and persons differ, so the columns say which
    assert any(visits > persons for _, _, _, visits, persons, _, _ in rows)
    assert sum(r[4] for r in rows) > total[1]   # someone was oriented to two programs
    fr, ar = text_of(pdfs["fr"]), text_of(pdfs["ar"])
    assert "Visites : chaque visite. Personnes, femmes et hommes : chaque personne une fois par programme" in fr
    for _code, name_fr, name_ar, visits, persons, women, men in rows:
        assert fr_line(name_fr, visits, persons, women, men) in fr
        assert ar_line(name_ar, visits, persons, women, men) in ar
    assert fr_line("Total", *total) in fr
    assert ar_line("المجموع", *total) in ar


def test_visits_by_outcome_and_channel(center) -> None:
    g, pdfs = center
    db = g.ctx.db
    span = [NOV_1.isoformat(), NOV_30.isoformat()]
    fr = text_of(pdfs["fr"])
    labels = {"informed": "Information donnée", "helped": "Aide à la demande", "referred": "Orienté ailleurs",
              "follow_up": "Suivi nécessaire"}
    assert [translate(m, "fr") for m in ("Information given", "Referred elsewhere")] == \
        [labels["informed"], labels["referred"]]
    for outcome, label in labels.items():
        in_person, phone, visits, persons = db.execute(
            "SELECT sum(channel = 'in_person'), sum(channel = 'phone'), count(*), count(DISTINCT person_id)"
            " FROM visit WHERE outcome = ? AND day BETWEEN ? AND ?", [outcome, *span]).fetchone()
        assert visits, outcome
        assert fr_line(label, in_person, phone, visits, persons) in fr
    in_person, phone, visits, persons = db.execute(
        "SELECT sum(channel = 'in_person'), sum(channel = 'phone'), count(*), count(DISTINCT person_id)"
        " FROM visit WHERE day BETWEEN ? AND ?", span).fetchone()
    assert "Les colonnes des canaux comptent des visites ; la colonne Personnes compte chaque personne une fois." in fr
    assert fr_line("Total", in_person, phone, visits, persons) in fr


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 1):g} %".replace(".", ",")


def test_indicators_hq_asks_for(center) -> None:
    g, pdfs = center
    db = g.ctx.db
    span = [NOV_1.isoformat(), NOV_30.isoformat()]
    served_sql, params = mc.served_sql(NOV_1, NOV_30)
    served, women = db.execute(f"SELECT count(*), sum(p.sex = 'F') FROM ({served_sql}) s"
                               " JOIN person p ON p.id = s.person_id", params).fetchone()
    (disabled,) = db.execute(f"SELECT count(*) FROM ({served_sql}) s JOIN person p ON p.id = s.person_id"
                             " WHERE p.disability = 1", params).fetchone()
    days_sql, days_params = mc.days_open_sql(NOV_1, NOV_30)
    (days_open,) = db.execute(days_sql, days_params).fetchone()
    (places,) = db.execute("SELECT nursery_capacity FROM center").fetchone()
    assert places == mc.PLACES
    (enrolled,) = db.execute("SELECT count(*) FROM enrollment WHERE service = 'nursery' AND deleted = 0"
                             " AND status != 'waitlisted' AND start_date <= ? AND (ended_on IS NULL OR ended_on > ?)",
                             [span[1], span[1]]).fetchone()
    (waiting,) = db.execute("SELECT count(*) FROM enrollment WHERE service = 'nursery' AND deleted = 0"
                            " AND status = 'waitlisted'").fetchone()
    nursery_days, nursery_attended = db.execute(
        f"SELECT count(DISTINCT day), count(DISTINCT person_id || '@' || day) FROM ({mc.LIVE_CHECK_INS})"
        " WHERE service = 'nursery' AND day BETWEEN ? AND ?", span).fetchone()
    club_days, club_attended = db.execute(
        f"SELECT count(DISTINCT day), count(DISTINCT person_id || '@' || day) FROM ({mc.LIVE_CHECK_INS})"
        " WHERE service = 'club' AND day BETWEEN ? AND ?", span).fetchone()
    new, exits = db.execute(
        "SELECT sum(status != 'waitlisted' AND start_date BETWEEN ? AND ?), sum(status = 'ended' AND ended_on"
        " BETWEEN ? AND ?) FROM enrollment WHERE deleted = 0", span * 2).fetchone()
    assert exits == 3  # two children left the nursery on 10 and 23 November, a member the club on the 17th
    done = g.completed["nov_early"] + g.completed["nov_late"]
    participants = g.participants["nov_early"] + g.participants["nov_late"]
    visits, visitors = db.execute("SELECT count(*), count(DISTINCT person_id) FROM visit WHERE day BETWEEN ? AND ?",
                                  span).fetchone()
    (reached,) = db.execute("SELECT sum(k.count) FROM campaign_count k JOIN campaign c ON c.id = k.campaign_id"
                            " WHERE c.day BETWEEN ? AND ?", span).fetchone()
    fr = text_of(pdfs["fr"])
    expected = [
        ("Personnes servies, tous services", served, "personnes, chacune une fois"),
        ("Dont femmes et filles", f"{women} sur {served} ({share(women, served)})", "personnes, chacune une fois"),
        ("Dont personnes en situation de handicap", f"{disabled} sur {served} ({share(disabled, served)})",
         "personnes, chacune une fois"),
        ("Jours d'ouverture (jours avec une activité enregistrée)", days_open, "jours"),
        ("Places de la crèche", places, "places"),
        ("Enfants inscrits à la crèche au 30 novembre 2026", enrolled, "enfants"),
        ("Taux d'occupation de la crèche (enfants inscrits / places)", share(enrolled, places), "proportion"),
        ("Liste d'attente de la crèche au 3 décembre 2026", waiting, "enfants"),
        ("Jours d'ouverture de la crèche", nursery_days, "jours"),
        ("Fréquentation moyenne par jour à la crèche",
         f"{round(nursery_attended / nursery_days, 1):g}".replace(".", ","), "enfants par jour d'ouverture"),
        ("Fréquentation moyenne par jour / places de la crèche", share(nursery_attended / nursery_days, places),
         "proportion"),
        ("Jours d'ouverture du club des aînés", club_days, "jours"),
        ("Fréquentation moyenne par jour au club des aînés",
         f"{round(club_attended / club_days, 1):g}".replace(".", ","), "membres par jour d'ouverture"),
        ("Nouvelles inscriptions (crèche, club, ateliers)", new, "inscriptions"),
        ("Sorties (crèche, club, ateliers)", exits, "inscriptions"),
        ("Taux de réussite des ateliers (ateliers terminés dans la période)",
         f"{done} sur {participants} ({share(done, participants)})", "participants"),
        ("Visites à l'accueil", visits, "visites"),
        ("Personnes reçues à l'accueil", visitors, "personnes, chacune une fois"),
        ("Personnes touchées par les campagnes", reached, "effectifs"),
    ]
    for label, value, unit in expected:
        assert fr_line(label, value, unit) in fr, label
    assert waiting and new and 0 < women < served and disabled


def test_enrollments_and_exits_per_service(center) -> None:
    g, pdfs = center
    db = g.ctx.db
    span = [NOV_1.isoformat(), NOV_30.isoformat()]
    fr = text_of(pdfs["fr"])
    assert "Compte des inscriptions (une personne inscrite à deux ateliers compte deux fois)." in fr
    for service in ("nursery", "club", "workshop"):
        row = db.execute(
            "SELECT coalesce(sum(status != 'waitlisted' AND start_date BETWEEN ? AND ?), 0),"
            " coalesce(sum(status = 'ended' AND ended_on BETWEEN ? AND ?), 0),"
            " coalesce(sum(status != 'waitlisted' AND start_date <= ? AND (ended_on IS NULL OR ended_on > ?)), 0),"
            " coalesce(sum(status = 'waitlisted'), 0) FROM enrollment WHERE deleted = 0 AND service = ?",
            [*span, *span, span[1], span[1], service]).fetchone()
        assert fr_line(SERVICE_FR[service], *row) in fr, service


def test_disability_breakdown_among_persons_served(center) -> None:
    g, pdfs = center
    db = g.ctx.db
    served_sql, params = mc.served_sql(NOV_1, NOV_30)
    rows = db.execute(f"SELECT trim(p.disability_type), count(*), sum(p.sex = 'F'), sum(p.sex = 'M')"
                      f" FROM ({served_sql}) s JOIN person p ON p.id = s.person_id WHERE p.disability = 1"
                      " GROUP BY 1", params).fetchall()
    assert {kind for kind, *_ in rows} >= {"motor", ""}
    fr = text_of(pdfs["fr"])
    for kind, n, women, men in rows:
        assert fr_line(kind or "Type non renseigné", n, women, men) in fr, kind
    assert fr.count("\nmotor ") == 1   # " motor " and "motor" are one type
    assert fr_line("Total", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)) in fr


def test_every_table_says_what_it_counts(center) -> None:
    _g, pdfs = center
    fr = text_of(pdfs["fr"])
    for caption in ("Personnes : chacune une fois par service. Présences : dans l'unité de la dernière colonne.",
                    "Compte des personnes (chacune une fois) ; la colonne Présence compte des jours (pointages).",
                    "Compte des personnes (chacune une fois) ; la colonne Présence compte des visites.",
                    "Compte des personnes touchées : effectifs, les campagnes n'enregistrent pas de noms.",
                    "Compte des participants : personnes inscrites à l'atelier, chacune une fois.",
                    "Compte des présences, dans l'unité de la deuxième colonne."):
        assert caption in fr, caption
