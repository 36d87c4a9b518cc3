"""The center's services: nursery, elderly club, workshops, campaigns, attendance, cards.

Records (enrollments, pick-up authorisations, workshops, sessions, cards, campaigns) merge
per field like the registry; check-ins, check-outs, alert acknowledgements, attendance marks
and their corrections are append-only events (docs/sync.md, "Conflicts, by kind of table"): they have no `rev` and are
never updated, a correction is a new `event_correction` row pointing at its target.
Workshop categories are reference data that HQ owns; desktops only read them.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS
from jisr_desktop.db.schema.common import SYNC_COLUMNS, track_external_writes

# (code, parent, name_ar, name_fr, name_en): the catalogue of docs/domain.md.
WORKSHOP_CATEGORIES: tuple[tuple[str, str | None, str, str, str], ...] = (
    ("crafts", None, "الحرف", "Artisanat", "Crafts"),
    ("digital_skills", None, "المهارات الرقمية", "Compétences numériques", "Digital skills"),
    ("school_support", None, "الدعم المدرسي", "Soutien scolaire", "School support"),
    ("holiday_activities", None, "أنشطة العطل", "Activités de vacances", "Holiday activities"),
    ("holiday_drawing", "holiday_activities", "الرسم", "Dessin", "Drawing"),
    ("holiday_theatre", "holiday_activities", "المسرح", "Théâtre", "Theatre"),
    ("holiday_music", "holiday_activities", "الموسيقى", "Musique", "Music"),
    ("holiday_swimming", "holiday_activities", "السباحة", "Natation", "Swimming"),
    ("positive_parenting", None, "التربية الوالدية الإيجابية", "Parentalité positive",
     "Positive parenting"),
    ("pre_marriage", None, "التأهيل للزواج", "Préparation au mariage", "Pre-marriage preparation"),
    ("youth_employment", None, "مواكبة الشباب نحو التشغيل", "Accompagnement des jeunes vers l'emploi",
     "Youth employment"),
)


def _record_table(db: sqlite_utils.Database, name: str, columns: str) -> None:
    db.execute(f"""
        CREATE TABLE {name} (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            {columns},
            {SYNC_COLUMNS})""")
    track_external_writes(db, name)


def _event_table(db: sqlite_utils.Database, name: str, columns: str) -> None:
    db.execute(f"""
        CREATE TABLE {name} (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            {columns},
            recorded_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT '')""")


@MIGRATIONS(name="0020_services")
def services(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE workshop_category (
            code TEXT PRIMARY KEY, parent_code TEXT, name_ar TEXT NOT NULL,
            name_fr TEXT NOT NULL, name_en TEXT NOT NULL, sort INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1)""")
    db.table("workshop_category").insert_all(
        {"code": c, "parent_code": p, "name_ar": ar, "name_fr": fr, "name_en": en, "sort": i}
        for i, (c, p, ar, fr, en) in enumerate(WORKSHOP_CATEGORIES))

    # One enrollment table for the three services, so that waitlists, cards and check-in share
    # one engine; service-specific columns stay empty elsewhere.
    _record_table(db, "enrollment", """
            center_id TEXT,
            service TEXT NOT NULL CHECK (service IN ('nursery','club','workshop')),
            workshop_id TEXT,
            person_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('waitlisted','active','ended')),
            requested_at TEXT NOT NULL,
            start_date TEXT,
            end_date TEXT,
            ended_on TEXT,
            end_reason TEXT NOT NULL DEFAULT '',
            allergies TEXT NOT NULL DEFAULT '',
            medical_notes TEXT NOT NULL DEFAULT '',
            emergency_name TEXT NOT NULL DEFAULT '',
            emergency_phone TEXT,
            emergency_relationship TEXT NOT NULL DEFAULT '',
            health_notes TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX enrollment_service ON enrollment(service, workshop_id, status)")
    db.execute("CREATE INDEX enrollment_person ON enrollment(person_id)")

    _record_table(db, "pickup_authorisation", """
            enrollment_id TEXT NOT NULL,
            person_id TEXT,
            name TEXT NOT NULL DEFAULT '',
            cin TEXT,
            phone TEXT,
            relationship TEXT NOT NULL DEFAULT '',
            is_guardian INTEGER NOT NULL DEFAULT 0""")
    db.execute("CREATE INDEX pickup_enrollment ON pickup_authorisation(enrollment_id)")
    db.execute("CREATE INDEX pickup_person ON pickup_authorisation(person_id) WHERE person_id IS NOT NULL")

    _record_table(db, "workshop", """
            center_id TEXT,
            category_code TEXT NOT NULL,
            title TEXT NOT NULL,
            trainer TEXT NOT NULL DEFAULT '',
            capacity INTEGER,
            completion_threshold REAL NOT NULL DEFAULT 0.75,
            start_date TEXT,
            end_date TEXT,
            notes TEXT NOT NULL DEFAULT ''""")
    _record_table(db, "workshop_session", """
            workshop_id TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX workshop_session_workshop ON workshop_session(workshop_id, starts_at)")
    db.execute("CREATE INDEX workshop_session_start ON workshop_session(starts_at)")

    _record_table(db, "club_activity", """
            center_id TEXT,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            day TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            partner TEXT NOT NULL DEFAULT ''""")

    _record_table(db, "member_card", """
            person_id TEXT NOT NULL,
            service TEXT NOT NULL,
            code TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            revoked_at TEXT""")
    # Not unique: codes are random and replicated; a lookup prefers the live card.
    db.execute("CREATE INDEX member_card_code ON member_card(code)")
    db.execute("CREATE INDEX member_card_person ON member_card(person_id, service)")

    _record_table(db, "campaign", """
            center_id TEXT,
            topic TEXT NOT NULL,
            day TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            partner TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT ''""")
    _record_table(db, "campaign_count", """
            campaign_id TEXT NOT NULL,
            sex TEXT NOT NULL,
            age_band TEXT NOT NULL,
            count INTEGER NOT NULL DEFAULT 0""")
    db.execute("CREATE INDEX campaign_count_campaign ON campaign_count(campaign_id)")
    _record_table(db, "campaign_participant", """
            campaign_id TEXT NOT NULL,
            person_id TEXT NOT NULL""")
    db.execute("CREATE INDEX campaign_participant_campaign ON campaign_participant(campaign_id)")

    # --- events ---
    _event_table(db, "check_in", """
            service TEXT NOT NULL,
            person_id TEXT NOT NULL,
            enrollment_id TEXT,
            day TEXT NOT NULL,
            at TEXT NOT NULL,
            by_person_id TEXT,
            by_name TEXT NOT NULL DEFAULT '',
            card_code TEXT NOT NULL DEFAULT '',
            previous_id TEXT""")
    db.execute("CREATE INDEX check_in_day ON check_in(day, service)")
    db.execute("CREATE INDEX check_in_person ON check_in(person_id, day)")
    _event_table(db, "check_out", """
            check_in_id TEXT NOT NULL,
            service TEXT NOT NULL,
            person_id TEXT NOT NULL,
            day TEXT NOT NULL,
            at TEXT NOT NULL,
            pickup_authorisation_id TEXT,
            by_person_id TEXT,
            by_name TEXT NOT NULL DEFAULT '',
            by_cin TEXT,
            override_by TEXT,
            override_reason TEXT NOT NULL DEFAULT '',
            previous_id TEXT""")
    db.execute("CREATE INDEX check_out_check_in ON check_out(check_in_id)")
    db.execute("CREATE INDEX check_out_day ON check_out(day, service)")
    _event_table(db, "alert_ack", """
            check_in_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            alerts TEXT NOT NULL,
            at TEXT NOT NULL""")
    db.execute("CREATE INDEX alert_ack_check_in ON alert_ack(check_in_id)")
    _event_table(db, "attendance", """
            context TEXT NOT NULL CHECK (context IN ('workshop','club_activity')),
            session_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            day TEXT NOT NULL,
            at TEXT NOT NULL""")
    db.execute("CREATE INDEX attendance_session ON attendance(session_id)")
    db.execute("CREATE INDEX attendance_day ON attendance(day)")
    db.execute("CREATE INDEX attendance_person ON attendance(person_id)")
    _event_table(db, "event_correction", """
            target_table TEXT NOT NULL,
            target_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('void','amend')),
            patch TEXT NOT NULL DEFAULT '{}',
            reason TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL""")
    db.execute("CREATE INDEX event_correction_target ON event_correction(target_id)")
