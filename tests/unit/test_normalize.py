"""Name normalisation: spellings a receptionist will meet must fold together, and different
names must stay apart."""

from __future__ import annotations

import pytest

from jisr_desktop.domain import normalize
from jisr_desktop.domain.person import search_columns

# (stored spelling, typed spelling): each pair must find each other.
SAME = [
    ("أحمد", "احمد"), ("أَحْمَد", "احمد"), ("إبراهيم", "ابراهيم"), ("آمنة", "امنه"),
    ("فاطمة", "فاطمه"), ("مصطفى", "مصطفي"), ("عيسى", "عيسي"), ("ليلى", "ليلي"),
    ("محمّد", "محمد"), ("مُحَمَّد", "محمد"), ("عبــد الله", "عبد الله"), ("سعـيد", "سعيد"),
    ("هيئة", "هييه"), ("مؤمن", "مومن"), ("ٱلحسن", "الحسن"), ("زكرياء", "زكريا"),
    ("الإدريسي", "الادريسي"), ("الإدريسي", "ادريسي"), ("ڭلميم", "كلميم"),
    ("Mohamed", "Mohammed"), ("Mohamed", "Mohamad"), ("Mohamed", "MUHAMMAD"),
    ("Mohamed", "Mouhamed"), ("Ahmed", "Ahmad"), ("Youssef", "Yousef"), ("Youssef", "Yusuf"),
    ("Aït Ali", "Ait Ali"), ("El Idrissi", "Idrissi"), ("El-Idrissi", "idrissi"),
    ("Al Fassi", "Fassi"), ("Hicham", "Hisham"), ("Aïcha", "Aisha"), ("Khadija", "Khadidja"),
    ("Fatima", "Fatimah"), ("Zineb", "Zaynab"), ("Mustapha", "Mostafa"), ("Saïd", "Said"),
    ("Hassan", "Hasan"), ("Abdellah", "Abdallah"), ("Ouafae", "Wafae"), ("Naïma", "Naima"),
    ("Bouchra", "Boushra"), ("Abdelkader", "Abdelqader"), ("Rachid", "Rashid"),
    ("Houssine", "Hussein"), ("Omar", "Umar"), ("  Karim  ", "karim"),
]

DIFFERENT = [
    ("محمد", "احمد"), ("امحمد", "محمد"), ("Mhamed", "Mohamed"), ("فاطمة", "فطوم"),
    ("Hassan", "Hussein"), ("Alaoui", "Ali"), ("سعيد", "سعد"), ("Karim", "Karima"),
]


def _terms(name: str) -> set[str]:
    return set(normalize.name_terms(name))


def _query(name: str) -> list[str]:
    return [normalize.query_token(t) for t in normalize.tokens(name)]


@pytest.mark.parametrize(("stored", "typed"), SAME)
def test_spellings_meet(stored: str, typed: str) -> None:
    terms = _terms(stored)
    assert all(q in terms for q in _query(typed)), (stored, typed, terms, _query(typed))
    # and the other way round
    back = _terms(typed)
    assert all(q in back for q in _query(stored)), (typed, stored, back, _query(stored))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert set(_query(a)) != set(_query(b))
    assert not all(q in _terms(a) for q in _query(b))


def test_table_is_large_enough() -> None:
    assert len(SAME) >= 40


def test_arabic_folding_details() -> None:
    assert normalize.fold_arabic("أَحْمَـــد") == "احمد"
    assert normalize.fold_arabic("مدرسة") == "مدرسه"
    assert normalize.fold_arabic("مستشفى") == "مستشفي"
    assert normalize.fold_arabic("١٢٣") == "123"


def test_joined_compound_names_are_indexed() -> None:
    terms = _terms("عبد الله")
    assert "عبدالله" in terms and "عبد" in terms and "الله" in terms
    assert "aitali" in _terms("Aït Ali")


def test_skeleton_is_approximate() -> None:
    assert normalize.skeleton("mohamed") == normalize.skeleton("mhmd") == "mhmd"
    assert normalize.skeleton("abdelkadir") == normalize.skeleton("abdelkader")


def test_cin_normalisation() -> None:
    assert normalize.normalize_cin(" ab 123-456 ") == "AB123456"
    assert normalize.normalize_cin("") is None
    assert normalize.cin_looks_valid("BE123456")
    assert normalize.cin_looks_valid("K45678")
    assert not normalize.cin_looks_valid("123456")
    assert not normalize.cin_looks_valid("ABC12345")


@pytest.mark.parametrize("typed", ["0612345678", "06 12 34 56 78", "06.12.34.56.78",
                                   "+212 6 12 34 56 78", "00212612345678", "212612345678"])
def test_phone_query_forms_meet_the_index(typed: str) -> None:
    index = normalize.phone_search_terms("+212612345678")
    assert normalize.query_digits(typed.replace(" ", "")) in index


def test_search_columns_hold_names_ids_and_skeletons() -> None:
    cols = search_columns({"given_name_ar": "محمد", "family_name_lat": "El Alaoui",
                           "cin": "AB123", "phone": "+212612345678"}, "TST-1-000001")
    assert "محمد" in cols["search_names"].split()
    assert "alaui" in cols["search_names"].split()
    assert "mhmd" not in cols["search_approx"].split()  # Arabic skeletons stay Arabic
    assert "qmhmd" in cols["search_approx"].split()  # its cross-script key is marked
    assert "ab123" in cols["search_ids"].split()
    assert "0612345678" in cols["search_ids"].split()
