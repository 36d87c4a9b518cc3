"""Cross-script comparison keys: one Latin consonant key for a name written in Arabic script
or in Latin letters as Moroccan civil registers and French schools spell it.

محمد and Mohamed/Mohammed both give "mhmd", خديجة and Khadija "xdj", يوسف and Youssef "sf",
الإدريسي and El Idrissi "drs", عبد القادر and Abdelkader "bdlkdr". The key keeps consonants only:
vowels, the weak letters ا و ي, ع and hamza are dropped on both sides (Moroccan spellings write
them in too many ways: Aicha/Aïcha/عائشة), digraphs become one letter (kh/خ → x, ch/sh/ش → c,
gh/غ → g), doubled letters collapse and a final h (ة, Abdellah) goes. Maintained Arabic
transliteration packages follow ALA-LC or Buckwalter, not these French-era spellings, so a
letter table is used (docs/domain.md, "Search").
"""

from __future__ import annotations

import re

from jisr_desktop.domain.normalize import fold_arabic, fold_latin_token, is_arabic, strip_article

# Arabic letters (after fold_arabic) to the key's Latin letters; missing letters are dropped.
_AR = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d", "ر": "r",
    "ز": "z", "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t", "ظ": "d", "غ": "g", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
}
_LAT_DIGRAPHS = (("kh", "x"), ("ch", "c"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("tch", "c"))
_LAT_DROP = re.compile("[aeiouyw]")
_DOUBLE = re.compile(r"(.)\1+")
MARK = "q"  # folded Latin never holds a q (q → k), so a marked key meets no other index term


def cross_key(token: str) -> str:
    """The comparison key of one (folded or raw) name token; "" when nothing is left."""
    if not token or any(c.isdigit() for c in token):
        return ""
    if is_arabic(token):
        folded = fold_arabic(token)
        folded = strip_article(folded) or folded
        key = "".join(_AR.get(c, "") for c in folded)
    else:
        folded = fold_latin_token(token)
        folded = strip_article(folded) or folded
        for src, dst in _LAT_DIGRAPHS:
            folded = folded.replace(src, dst)
        key = _LAT_DROP.sub("", folded)
        key = re.sub("[^a-z]", "", key)
    key = _DOUBLE.sub(r"\1", key)
    if key.endswith("h") and len(key) > 1:
        key = key[:-1]
    return key


def cross_term(token: str) -> str:
    """The index term of a token's key (marked so that it never equals a skeleton)."""
    key = cross_key(token)
    return MARK + key if key else ""
