"""Covering indexes for the monthly report (issue 5).

The report reads a month of check-ins, attendance marks and visits with each person's sex and
birth date. Through the plain day indexes every event row is a random page read (a centre's
events are spread over the whole file once corrections and sync have interleaved them); these
indexes hold every column the report needs, so a month is read in index order and the person
lookups touch a small index instead of the wide person rows. Measured in bench/reports.py.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0050_report_indexes")
def report_indexes(db: sqlite_utils.Database) -> None:
    db.execute("CREATE INDEX check_in_report ON check_in(day, service, person_id, id)")
    db.execute("CREATE INDEX attendance_report ON attendance(day, context, status, person_id, id)")
    db.execute("CREATE INDEX visit_report ON visit(day, program_code, person_id)")
    db.execute("CREATE INDEX person_report ON person(id, sex, birth_date, birth_year)")
