"""Member card codes (pure): opaque, random, easy to read aloud and to scan.

A code carries no personal data: it is 10 characters from an alphabet without the look-alike
characters (0/O, 1/I/L), about 50 bits, printed as two groups of five. A USB scanner types the
code like a keyboard and presses Enter; on a French (AZERTY) layout its digits may arrive as
the unshifted characters of the digit row, which `normalize_code` maps back.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
_AZERTY_DIGITS = str.maketrans({"é": "2", '"': "3", "'": "4", "(": "5",
                                "è": "7", "_": "8", "ç": "9", "É": "2", "È": "7", "Ç": "9"})


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    return "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """For the printed card and the screen: ``ABCDE-FGHJK``."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def normalize_code(text: str | None) -> str | None:
    """The code in `text` as typed or scanned (spaces, lower case, a dash between the groups,
    AZERTY digit row), or None when it cannot be a card code."""
    if not text:
        return None
    compact = "".join(text.split()).translate(_AZERTY_DIGITS).upper()
    if len(compact) == CODE_LENGTH + 1 and compact[5] == "-":
        compact = compact[:5] + compact[6:]
    compact = compact.replace("-", "6") if len(compact) == CODE_LENGTH else compact
    if len(compact) != CODE_LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return compact
