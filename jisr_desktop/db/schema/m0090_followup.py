"""Follow-up cases, their sessions, referrals, sealed case content, and the audit chain
(docs/domain.md, "Follow-up"; docs/privacy.md).

`followup_case` (a person's or household's case in one service: dates, staff, status, goals,
outcome), `followup_action` (its dated sessions and actions) and `referral` (a referral from a
visit or a case, with its follow-up due date and outcome) are ordinary center records, countable
for reports. `followup_sealed` holds the plan (no `action_id`) and the session notes of the
counselling, mediation and psychological cases; it travels in the counselling partition like the
case notes. Services, statuses and outcomes are checked by the services, not by CHECK
constraints, so that a value from a newer desktop never stops an older one applying a pull.

The audit log gains its chain: `prev_hash` and `hash` of every entry (`jisr_desktop/db/audit.py`);
the entries already there are chained in order by this migration.
"""

from __future__ import annotations

import sqlite_utils

from jisr_desktop.db import audit
from jisr_desktop.db.migrations import MIGRATIONS
from jisr_desktop.db.schema.m0060_case_notes import _record_table


@MIGRATIONS(name="0090_followup")
def followup(db: sqlite_utils.Database) -> None:
    _record_table(db, "followup_case", """
            center_id TEXT,
            person_id TEXT,
            household_id TEXT,
            service TEXT NOT NULL,
            opened_on TEXT NOT NULL,
            closed_on TEXT,
            staff_id TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            outcome TEXT NOT NULL DEFAULT '',
            situation TEXT NOT NULL DEFAULT '',
            goals TEXT NOT NULL DEFAULT '[]'""")
    db.execute("CREATE INDEX followup_case_person ON followup_case(person_id)")
    db.execute("CREATE INDEX followup_case_household ON followup_case(household_id)"
               " WHERE household_id IS NOT NULL")
    _record_table(db, "followup_action", """
            case_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            staff_id TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX followup_action_case ON followup_action(case_id, day)")
    _record_table(db, "referral", """
            center_id TEXT,
            person_id TEXT NOT NULL,
            visit_id TEXT,
            case_id TEXT,
            program_code TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            referred_on TEXT NOT NULL,
            due_on TEXT NOT NULL,
            outcome TEXT,
            outcome_on TEXT,
            note TEXT NOT NULL DEFAULT '',
            staff_id TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX referral_due ON referral(due_on) WHERE deleted = 0")
    db.execute("CREATE INDEX referral_person ON referral(person_id)")
    _record_table(db, "followup_sealed", """
            center_id TEXT,
            case_id TEXT NOT NULL,
            action_id TEXT,
            text TEXT NOT NULL DEFAULT '',
            parties TEXT NOT NULL DEFAULT '[]',
            counsellor_id TEXT NOT NULL DEFAULT ''""")
    db.execute("CREATE INDEX followup_sealed_case ON followup_sealed(case_id)")
    db.execute("ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT ''")
    audit.chain_all(db)
