# ruff: noqa: RUF012  (Django migration class attributes)
"""Seed the public-program catalogue and the workshop categories (HQ may edit them later)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import migrations

PROGRAMS = [
    (
        "rsu",
        "Registre social unifié (RSU)",
        "السجل الاجتماعي الموحد",
        "Unified Social Register (RSU)",
    ),
    ("amo_tadamon", "AMO Tadamon", "أمو تضامن", "AMO Tadamon"),
    ("forsa", "Forsa", "فرصة", "Forsa"),
    ("intelaka", "Intelaka", "انطلاقة", "Intelaka"),
    ("awrach", "Awrach", "أوراش", "Awrach"),
    ("direct_support", "Aide sociale directe", "الدعم الاجتماعي المباشر", "Direct social support"),
    ("other", "Autre", "أخرى", "Other"),
]
CATEGORIES = [
    ("crafts", "Artisanat", "الحرف اليدوية", "Crafts"),
    ("digital_skills", "Compétences numériques", "المهارات الرقمية", "Digital skills"),
    ("school_support", "Soutien scolaire", "الدعم المدرسي", "School support"),
    ("holiday_activities", "Activités de vacances", "أنشطة العطل", "Holiday activities"),
    (
        "positive_parenting",
        "Parentalité positive",
        "التربية الوالدية الإيجابية",
        "Positive parenting",
    ),
    ("pre_marriage", "Préparation au mariage", "التأهيل للزواج", "Pre-marriage preparation"),
    ("youth_employment", "Emploi des jeunes", "تشغيل الشباب", "Youth employment"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    counter_model = apps.get_model("jisr_hq", "RefCounter")
    counter, _ = counter_model.objects.get_or_create(id=1)
    for model_name, rows in (("Program", PROGRAMS), ("WorkshopCategory", CATEGORIES)):
        model = apps.get_model("jisr_hq", model_name)
        for order, (code, fr, ar, en) in enumerate(rows):
            counter.value += 1
            model.objects.create(
                id=uuid.uuid4(),
                code=code,
                name_fr=fr,
                name_ar=ar,
                name_en=en,
                sort_order=order,
                counter=counter.value,
            )
    counter.save()


class Migration(migrations.Migration):
    dependencies = [("jisr_hq", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
