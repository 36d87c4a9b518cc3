"""Regenerate the sample images of this folder: `.venv/bin/python docs/reports/make_samples.py`.

They are looked at by a person (letters joined, words right to left, numbers and brackets
right, nothing cut) before being committed; the tests check the same things mechanically.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from reportlab.platypus import Spacer  # noqa: E402

from jisr_desktop.reports.consent import ConsentCenter, ConsentPerson, build_consent_receipt  # noqa: E402
from jisr_desktop.reports.document import RosterTable, TextBlock, build_pdf, heading  # noqa: E402
from jisr_desktop.reports.render import render_page_png  # noqa: E402

DAY = dt.date(2026, 11, 29)
CHILDREN = [
    ("مريم العلوي", "فاطمة الزهراء العلوي (الأم)", "+212612345678", "08:05", ""),
    ("Amine El Idrissi", "Khadija Bennani", "+212 6 61 23 45 67", "08:12", "16:30"),
    ("يوسف بن عبد الله", "عبد الله بن محمد (الأب)", "0707080910", "08:20", ""),
    ("سلمى أيت علي", "حفيظة أيت علي — حساسية من الحليب والبيض (تحمل الأم الدواء في الحقيبة الزرقاء)",
     "+212661112233", "08:31", "12:00"),
    ("آدم الحسني", "نعيمة الحسني", "0522334455", "08:45", ""),
]


def roster_pdf() -> bytes:
    rows = [[str(i), *child] for i, child in enumerate(CHILDREN * 6, start=1)]
    columns = [("رقم", 0.45), ("الطفل", 1.7), ("ولي الأمر / ملاحظات", 2.6), ("الهاتف", 1.5),
               ("الدخول", 0.7), ("الخروج", 0.7), ("التوقيع", 1.0)]
    story = [
        heading("الحضانة الاجتماعية (0-3 سنوات)", rtl=True),
        TextBlock("عدد الأطفال الحاضرين: 30 من أصل 32، الطاقة الاستيعابية 35 (Amine: مسجل جديد).", rtl=True),
        Spacer(1, 6),
        RosterTable([(t, w) for t, w in columns], [r[:6] + [""] for r in rows], lang="ar",
                    min_row_height=24),
    ]
    out = io.BytesIO()
    build_pdf(out, lang="ar", center_name="فضاء جسر الأسرة - الرباط", title="لائحة الحضور اليومية للحضانة",
              date=DAY, story=story)
    return out.getvalue()


def consent_pdf() -> bytes:
    out = io.BytesIO()
    build_consent_receipt(
        out, lang="ar", day=DAY, receipt_code="CR-7Q4K-92", place="الرباط",
        center=ConsentCenter(name_ar="فضاء جسر الأسرة - الرباط", name_fr="Espace Jisr al-Usra - Rabat",
                             address="12، زنقة الأطلس، حي الرياض، الرباط", phone="+212 5 37 12 34 56",
                             managing_body="جمعية الأمل للتنمية الأسرية"),
        person=ConsentPerson(name_ar="فاطمة الزهراء العلوي", name_latin="Fatima Zahra El Alaoui",
                             cin="BE123456", birth_date=dt.date(1990, 5, 17), file_code="RB-2026-00042"),
    )
    return out.getvalue()


if __name__ == "__main__":
    render_page_png(roster_pdf(), 0, dpi=110, out=HERE / "sample-ar.png")
    render_page_png(consent_pdf(), 0, dpi=110, out=HERE / "sample-consent-ar.png")
