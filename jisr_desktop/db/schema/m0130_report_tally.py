"""Person-ordered covering indexes for the monthly report's year to date (issue 14).

The report counts distinct persons (and their days or sessions) of each service over the
previous month and the year to date. Through the day indexes of migration 0050 every event of
those ten months had to be sorted or hashed by person; these indexes hold the events already in
(service, person, day) order, so `reports.queries.span_totals` counts every span in one
streaming pass without a sort. ``visit_month`` covers the month's visits by program, outcome
and channel without reading the visit rows. Measured in bench/reports.py.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0130_report_tally")
def report_tally(db: sqlite_utils.Database) -> None:
    db.execute("CREATE INDEX check_in_tally ON check_in(service, person_id, day, id)")
    db.execute("CREATE INDEX attendance_tally ON attendance(context, person_id, status, day, id)")
    db.execute("CREATE INDEX visit_tally ON visit(person_id, day)")
    db.execute("CREATE INDEX visit_month ON visit(day, program_code, outcome, channel, person_id)")
