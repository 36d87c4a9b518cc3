"""Fill translations into the catalogs: `python scripts/po_set.py FILE.json`.

FILE.json maps an English msgid to its translations: ``{"Save": {"ar": "حفظ", "fr":
"Enregistrer"}}``; a plural entry gives lists (``"ar"`` six forms, ``"fr"`` three: one, many,
other — Babel's French plural slots). Run `make translations` first so the entries exist.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages import pofile

LOCALE = Path(__file__).resolve().parent.parent / "jisr_desktop" / "resources" / "locale"


def main(source: str) -> int:
    wanted: dict[str, dict[str, str | list[str]]] = json.loads(Path(source).read_text(encoding="utf-8"))
    missing = 0
    for lang in ("ar", "fr"):
        po_path = LOCALE / lang / "LC_MESSAGES" / "jisr.po"
        with po_path.open("rb") as fh:
            catalog = pofile.read_po(fh, locale=lang)
        for msgid, per_lang in wanted.items():
            if lang not in per_lang:
                continue
            message = next((m for m in catalog if (m.id[0] if isinstance(m.id, tuple) else m.id) == msgid), None)
            if message is None:
                print(f"not in the {lang} catalog (run make translations): {msgid!r}", file=sys.stderr)
                missing += 1
                continue
            value = per_lang[lang]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
        with po_path.open("wb") as fh:
            pofile.write_po(fh, catalog, sort_output=True, omit_header=False, width=100)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
