"""A writer process for the kill test: registers persons through the services and prints
``ack <id>`` after each commit, until it is killed. Usage: writer_child.py DATA_ROOT SEED"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from jisr_desktop.context import Context, User
from jisr_desktop.db.connection import open_database
from jisr_desktop.services.registry import register_person

GIVEN = ["أحمد", "فاطمة", "يوسف", "مريم", "خديجة", "عمر", "سلمى", "إدريس"]
FAMILY = ["العلوي", "بناني", "الفاسي", "الإدريسي", "التازي", "بنجلون"]


def main() -> None:
    root, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    db = open_database(root)
    row = db.execute("SELECT id, username, display_name, role, center_id FROM user_account"
                     " WHERE username = 'recep'").fetchone()
    ctx = Context(db=db, user=User(*row))
    print("ready", flush=True)
    while True:
        person = register_person(ctx=ctx, data={
            "given_name_ar": rng.choice(GIVEN), "family_name_ar": rng.choice(FAMILY),
            "notes": "x" * rng.randint(0, 2000)})
        print("ack", person.id, flush=True)


if __name__ == "__main__":
    main()
