"""The Arabic recipe: joined letters, visual order, mirrored brackets, LTR tokens kept whole."""

from __future__ import annotations

import unicodedata

import pytest

from jisr_desktop.reports.fonts import FONT, register_fonts
from jisr_desktop.reports.text import (
    line_is_rtl,
    mark_ltr,
    shape_line,
    strip_marks,
    text_width,
    wrap,
)


def readable(display: str) -> str:
    """Presentation forms back to base letters, keeping the visual order (for readable asserts)."""
    return unicodedata.normalize("NFKC", display)


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


def test_known_line_exact_display_codepoints() -> None:
    # "مركز الرباط" as drawn left to right, checked letter by letter:
    # tah isolated, alef final, beh initial, reh final, lam initial, alef isolated, space,
    # zain final, kaf initial, reh final, meem initial.
    expected = "\ufec1\ufe8e\ufe91\ufeae\ufedf\ufe8d \ufeb0\ufedb\ufeae\ufee3"
    assert shape_line("مركز الرباط", rtl=True) == expected


def test_mixed_arabic_digits_latin_word() -> None:
    got = shape_line("الطفل Amine عمره 3 سنوات", rtl=True)
    assert readable(got) == "تاونس 3 هرمع Amine لفطلا"
    assert "Amine" in got  # the Latin word keeps its own left-to-right order


def test_brackets_are_mirrored() -> None:
    got = shape_line("مركز (الرباط) رقم 12", rtl=True)
    assert readable(got) == "12 مقر (طابرلا) زكرم"


def test_letters_are_joined() -> None:
    got = shape_line("مريم", rtl=True)
    # Meem initial… reversed: final meem, medial yeh, medial reh? -> all presentation forms.
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in got)
    assert readable(got) == "ميرم"


def test_phone_number_never_reordered() -> None:
    got = shape_line("الهاتف: +212 6 12 34 56 78", rtl=True)
    assert readable(got) == "+212 6 12 34 56 78 :فتاهلا"


def test_phone_e164_keeps_its_plus_on_the_left() -> None:
    got = shape_line("هاتف +212612345678 للطوارئ", rtl=True)
    assert readable(got) == "ئراوطلل +212612345678 فتاه"


def test_marked_token_kept_whole() -> None:
    got = shape_line(f"رقم البطاقة {mark_ltr('BE-12 34')} صالحة", rtl=True)
    assert readable(got) == "ةحلاص BE-12 34 ةقاطبلا مقر"
    assert "\u2066" not in got and "\u2069" not in got


def test_latin_only_line_in_arabic_document_keeps_brackets() -> None:
    assert line_is_rtl("Amine (fils)", doc_rtl=True) is False
    assert shape_line("Amine (fils)", rtl=False) == "Amine (fils)"


def test_arabic_only_line_in_french_document_is_rtl() -> None:
    assert line_is_rtl("أمين (الصغير)", doc_rtl=False) is True


def test_french_text_unchanged() -> None:
    assert shape_line("Crèche sociale (0-3 ans)", rtl=False) == "Crèche sociale (0-3 ans)"


def test_wrap_keeps_logical_order_and_every_word() -> None:
    text = "مركز جسر الأسرة بالرباط يستقبل الأسر والأطفال كل يوم من الاثنين إلى الجمعة"
    lines = wrap(text, FONT, 10, 80)
    assert len(lines) > 2
    assert " ".join(lines) == text  # logical order: first words on the first line
    assert lines[0].startswith("مركز")
    for line in lines:
        assert text_width(line, FONT, 10) <= 80


def test_wrap_breaks_a_word_too_long_for_the_width() -> None:
    lines = wrap("Supercalifragilisticexpialidocious", FONT, 10, 40)
    assert len(lines) > 1
    assert "".join(lines) == "Supercalifragilisticexpialidocious"
    assert all(text_width(line, FONT, 10) <= 40 for line in lines)


def test_wrap_keeps_phone_whole() -> None:
    lines = wrap("اتصلوا بنا على الرقم 06 12 34 56 78 شكرا", FONT, 10, 90)
    phone_lines = [line for line in lines if "06" in line]
    assert len(phone_lines) == 1
    assert "06 12 34 56 78" in strip_marks(phone_lines[0])


def test_wrap_keeps_newlines() -> None:
    assert wrap("سطر أول\nسطر ثان", FONT, 10, 500) == ["سطر أول", "سطر ثان"]


@pytest.mark.parametrize(
    "text",
    ["مركز جسر الأسرة (الرباط)، لا إله إلا الله", "الطفلة: مريم-العلوي؛ 3 سنوات", "ﻻ  لا   الأسرة", "Amine لأمين"],
)
def test_word_by_word_shaping_equals_whole_line_shaping(text: str) -> None:
    import arabic_reshaper

    from jisr_desktop.reports.text import reshape

    whole = arabic_reshaper.ArabicReshaper(
        configuration={"delete_harakat": False, "support_ligatures": True}
    ).reshape(text)
    assert reshape(text) == whole


def test_wrap_registers_the_font_itself_and_normalises_line_ends() -> None:
    assert wrap("a\r\nb\rc", "Amiri", 10, 100) == ["a", "b", "c"]


def test_display_line_for_chart_labels() -> None:
    from jisr_desktop.reports.text import display_line

    # Arabic-only label: right to left even in a French report. After Arabic letters a range
    # reads right to left too (Unicode bidi: "0-3" shows as "3-0"), as in any browser.
    assert readable(display_line("الحضانة (0-3)", doc_rtl=False)) == "(3-0) ةناضحلا"
    assert display_line("Crèche", doc_rtl=True) == "Crèche"


# --- the conformant bidi step on the project's own mixed lines (issue 14) ---------------------


def test_arabic_sentence_with_latin_title_in_brackets_and_quotes() -> None:
    from jisr_desktop.reports.text import mark_value

    # The Arabic certificate used to print «(Atelier couture (niveau 1» here.
    for title in ("Atelier couture (niveau 1)", mark_value("Atelier couture (niveau 1)")):
        got = readable(shape_line(f"أكمل ورشة «{title}» بنجاح", rtl=True))
        assert got == "حاجنب «Atelier couture (niveau 1)» ةشرو لمكأ"


def test_latin_names_as_values_on_an_arabic_page() -> None:
    from jisr_desktop.reports.text import mark_value

    assert shape_line(mark_value("Karim El Fassi (fils)"), rtl=True) == "Karim El Fassi (fils)"
    assert shape_line(mark_value("Fatima Z."), rtl=True) == "Fatima Z."
    got = readable(shape_line(f"المؤطر: {mark_value('Karim (fils)')}.", rtl=True))
    assert got == ".Karim (fils) :رطؤملا"


def test_arabic_title_as_a_value_on_a_french_page() -> None:
    from jisr_desktop.reports.text import mark_value

    got = readable(shape_line(f"Atelier : {mark_value('خياطة (المستوى 1)')}", rtl=False))
    assert got == "Atelier : (1 ىوتسملا) ةطايخ"


def test_value_wrapped_over_lines_stays_isolated_on_each_line() -> None:
    from jisr_desktop.reports.text import mark_value

    lines = wrap("الاسم " + mark_value("Karim El Fassi Benjelloun (fils)") + " انتهى", FONT, 10, 60)
    shown = [readable(shape_line(line, rtl=True)) for line in lines]
    assert shown == ["Karim El مسلاا", "Fassi", "Benjelloun", "ىهتنا (fils)"]
    assert all(line.count("\u2068") == line.count("\u2069") for line in lines)


def test_phone_and_date_values_in_arabic_sentence() -> None:
    from jisr_desktop.reports.text import mark_value

    got = readable(shape_line(f"الهاتف 06 12 34 56 78 بتاريخ {mark_value('15/09/2026')}", rtl=True))
    assert got == "15/09/2026 خيراتب 06 12 34 56 78 فتاهلا"


def test_label_isolates_text_parameters() -> None:
    from jisr_desktop.reports.common import label

    got = label("Trainer: {trainer}", "ar", trainer="Karim (fils)")
    assert "\u2068Karim (fils)\u2069" in got
