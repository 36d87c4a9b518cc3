"""Name, CIN and phone normalisation for search and duplicate detection (pure functions).

A receptionist types a name however she heard it: أحمد or احمد or أَحْمَد, Mohamed or
Mohammed, El Idrissi or Idrissi. Stored names and typed queries go through the same folding so
that they meet. Three levels:

- `fold_token`: exact-match form (Arabic letters unified, Latin case/accents/transliteration
  variants folded);
- `skeleton`: an approximate form (consonants only), for the "approximate" ranking tier;
- `search_terms`: what a person's search columns hold (every folded token plus prefix-free and
  joined variants).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from jisr_desktop.domain.messages import FieldMessage
from jisr_desktop.i18n import N_, translate

# --- Arabic ------------------------------------------------------------------------------

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي", "ؤ": "و",
    "ک": "ك", "ڭ": "ك", "گ": "ك", "ڤ": "ف", "پ": "ب", "ڨ": "ق",
    "ء": None,
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
AR_JOINING_PREFIXES = frozenset({"عبد", "ابو", "بو", "بن", "ايت", "اولاد", "ولد"})


def is_arabic(text: str) -> bool:
    return bool(_ARABIC_LETTER.search(text))


def fold_arabic(text: str) -> str:
    """Strip diacritics and tatweel; unify alef/hamza forms, ta marbuta/ha, alef maqsura/ya."""
    return _AR_DIACRITICS.sub("", text).translate(_AR_MAP)


# --- Latin -------------------------------------------------------------------------------

LAT_ARTICLES = frozenset({"el", "al", "ed", "es", "et", "ez", "er", "ech", "ej"})
LAT_JOINING_PREFIXES = frozenset({"ait", "ben", "bin", "abd", "abdel", "abdal", "abou", "abu",
                                  "bou", "ould", "oulad", "ulad", "ul"})
# Common given names whose spellings vary beyond what the letter rules fold.
_CANONICAL = {
    "mohamad": "mohamed", "mohammad": "mohamed", "muhamad": "mohamed", "muhamed": "mohamed",
    "mohamed": "mohamed", "mahamed": "mohamed", "muhammed": "mohamed",
    "mohhamed": "mohamed", "mouhamed": "mohamed", "mehemed": "mohamed",
    "ahmad": "ahmed", "ahmet": "ahmed",
    "mahmud": "mahmud", "mahmoud": "mahmud",
    "yusef": "yusef", "yusf": "yusef", "yusuf": "yusef", "yusof": "yusef", "yosef": "yusef",
    "mustafa": "mustafa", "mostafa": "mustafa", "mustapha": "mustafa", "mostapha": "mustafa",
    "fatima": "fatima", "fatema": "fatima", "fatimah": "fatima", "fatim": "fatima",
    "khadija": "khadija", "khadijah": "khadija", "khedija": "khadija",
    "abdelah": "abdalah", "abdalah": "abdalah", "abdulah": "abdalah", "abdelalah": "abdalah",
    "zineb": "zainab", "zaynab": "zainab", "zainab": "zainab", "zeinab": "zainab",
    "hussein": "husain", "husain": "husain", "hussain": "husain", "husein": "husain",
    "housein": "husain", "husine": "husain", "husin": "husain", "husaine": "husain",
    "aicha": "aicha", "aycha": "aicha", "aiche": "aicha",
    "said": "said", "saeed": "said", "saiid": "said",
    "karim": "karim", "kareem": "karim", "krim": "karim",
    "omar": "umar", "umar": "umar", "omer": "umar",
}
_LETTER_RULES = (
    ("ou", "u"), ("oo", "u"), ("w", "u"), ("sh", "ch"), ("dj", "j"), ("ph", "f"),
    ("q", "k"), ("ck", "k"), ("ee", "i"), ("ey", "ei"), ("ae", "a"),
)
_DOUBLE = re.compile(r"([a-z])\1+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_latin_token(token: str) -> str:
    """Lower case, no accents, common Moroccan transliteration variants folded."""
    t = strip_accents(token).lower()
    t = re.sub(r"[^a-z0-9]", "", t)
    if not t or t.isdigit():
        return t
    for src, dst in _LETTER_RULES:
        t = t.replace(src, dst)
    t = _DOUBLE.sub(r"\1", t)
    if t in _CANONICAL:
        return _CANONICAL[t]
    if t.endswith("h") and len(t) > 3 and t[-2] in "aeiou":
        t = t[:-1]  # Fatimah/Fatima, Aichah/Aicha
    return _CANONICAL.get(t, t)


# --- Tokens ------------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s\-_'’`.,;/()]+")


def fold_token(token: str) -> str:
    if is_arabic(token):
        return re.sub(r"[^\u0600-\u06ff0-9]", "", fold_arabic(token))
    return fold_latin_token(token)


def raw_latin(token: str) -> str:
    """Lower case and no accents only: what a half-typed word looks like before the
    transliteration rules can apply ("bus" on the way to "Bushra")."""
    return re.sub(r"[^a-z0-9]", "", strip_accents(token).lower())


def raw_tokens(text: str) -> list[str]:
    return [r for r in (raw_latin(t) for t in _SPLIT.split(text or "") if t and not is_arabic(t)) if r]


def is_article_prefix(token: str) -> bool:
    """A token that is (the start of) an article a receptionist is still typing: e, el, a, al."""
    return token in {"e", "a", "el", "al", "ال", "ا"}


def tokens(text: str) -> list[str]:
    """Folded tokens of a name or query, articles (El, Al) that stand alone dropped."""
    raw = [fold_token(t) for t in _SPLIT.split(text or "") if t]
    raw = [t for t in raw if t]
    if len(raw) > 1:
        raw = [t for i, t in enumerate(raw) if not (t in LAT_ARTICLES and i + 1 < len(raw))]
    return raw


def strip_article(token: str) -> str | None:
    """The token without its attached article (الادريسي → ادريسي, elidrissi → idrissi)."""
    if token.startswith("ال") and len(token) >= 5:
        return token[2:]
    for art in ("el", "al"):
        if token.startswith(art) and len(token) >= len(art) + 4:
            return token[len(art):]
    return None


def query_token(token: str) -> str:
    """A query token as matched against the index (article removed when enough remains)."""
    stripped = strip_article(token) if token.startswith("ال") else None
    return stripped or token


_AR_WEAK = re.compile("[اويه]")
_LAT_VOWELS = re.compile("[aeiouy]")


def skeleton(token: str) -> str:
    """Consonant skeleton for approximate matching: Mohamed/Muhammad → mhmd, محمد → محمد."""
    if not token:
        return token
    if token[0].isdigit():
        return token
    if is_arabic(token):
        return token[0] + _AR_WEAK.sub("", token[1:])
    return _DOUBLE.sub(r"\1", token[0] + _LAT_VOWELS.sub("", token[1:]))


def _joined_variants(toks: list[str]) -> Iterable[str]:
    for a, b in itertools.pairwise(toks):
        if a in AR_JOINING_PREFIXES or a in _LAT_JOINING_FOLDED:
            yield a + b
            if is_arabic(b):
                stripped = strip_article(b)
                if stripped:
                    yield a + stripped
            elif a in {"abd", "abdel", "abdal"}:
                yield fold_latin_token(a + b)


_LAT_JOINING_FOLDED = frozenset(fold_latin_token(p) for p in LAT_JOINING_PREFIXES)
LAT_JOINING_FOLDED = _LAT_JOINING_FOLDED


def name_terms(*names: str) -> list[str]:
    """Every index term for a person's names: folded tokens, article-free, joined compounds,
    and the plain lower-case Latin spelling (for prefixes typed before the rules apply)."""
    out: list[str] = []
    for name in names:
        out.extend(raw_tokens(name))
        toks = tokens(name)
        for tok in toks:
            out.append(tok)
            stripped = strip_article(tok)
            if stripped:
                out.append(stripped)
        out.extend(_joined_variants(toks))
    return list(dict.fromkeys(t for t in out if t))


def approx_terms(terms: Iterable[str]) -> list[str]:
    """The approximate column: each term's skeleton, then its cross-script key
    (`translit.cross_term`: محمد and Mohamed meet there)."""
    from jisr_desktop.domain.translit import cross_term  # translit builds on this module

    terms = [t for t in terms if t]
    return list(dict.fromkeys([skeleton(t) for t in terms]
                              + [c for c in (cross_term(t) for t in terms) if c]))


def name_key(*names: str) -> str:
    """A compact key of a full name for duplicate detection: folded tokens, sorted."""
    toks: list[str] = []
    for name in names:
        toks.extend(query_token(t) for t in tokens(name))
    return " ".join(sorted(toks))


# --- Identifiers -------------------------------------------------------------------------

_CIN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")


def normalize_cin(text: str | None) -> str | None:
    """Upper case, no spaces or punctuation; None when empty."""
    if not text:
        return None
    value = re.sub(r"[\s\-./]", "", strip_accents(text)).upper()
    return value or None


def cin_looks_valid(cin: str) -> bool:
    return bool(_CIN.match(cin))


def phone_search_terms(e164: str | None) -> list[str]:
    """Index terms for a stored E.164 number: national form (06…) and without the 0."""
    if not e164:
        return []
    digits = re.sub(r"\D", "", e164)
    if digits.startswith("212"):
        national = digits[3:]
        return ["0" + national, national]
    return [digits]


def query_digits(token: str) -> str:
    """A typed phone or CIN fragment as the index holds it (00212/+212 → 0, separators gone)."""
    t = re.sub(r"[\s\-./()]", "", token)
    if t.startswith("+212"):
        t = "0" + t[4:]
    elif t.startswith("00212"):
        t = "0" + t[5:]
    elif t.startswith("212") and len(t) >= 12:
        t = "0" + t[3:]
    return t.lower()


# --- control characters --------------------------------------------------------------------

CONTROL_MSGID = N_("“{name}” contains an invisible control character (often pasted from "
                   "another program): remove it.")
_MULTILINE_OK = frozenset("\n\r\t")


def has_control(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a control character (NUL, escape … C1 controls) or an unpaired
    surrogate. A line break and a tab are allowed in `multiline` text (notes) only. Neither
    HQ nor a spreadsheet takes these (docs/security.md, "Desktop")."""
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") and not (multiline and char in _MULTILINE_OK):
            return True
    return False


class FieldName:
    """A field's name inside a message, translated with the message when it is shown
    (`FieldMessage.text` calls `translated`)."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid

    def translated(self, lang: str | None = None) -> str:
        return translate(self.msgid, lang)

    def __format__(self, spec: str) -> str:
        return format(translate(self.msgid), spec)

    def __str__(self) -> str:
        return translate(self.msgid)

    def __repr__(self) -> str:
        return f"FieldName({self.msgid!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldName) and other.msgid == self.msgid

    def __hash__(self) -> int:
        return hash(self.msgid)


def control_messages(values: Mapping[str, Any], labels: Mapping[str, str], *,
                     multiline: Iterable[str] = ()) -> list[FieldMessage]:
    """An error naming the field for each text value of `values` (only the fields of
    `labels`, a field → msgid of its name) that holds a control character."""
    lines = frozenset(multiline)
    return [FieldMessage(name, "error", CONTROL_MSGID, {"name": FieldName(label)})
            for name, label in labels.items()
            if isinstance(values.get(name), str) and has_control(values[name], multiline=name in lines)]
