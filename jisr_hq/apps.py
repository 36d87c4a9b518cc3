from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JisrHqConfig(AppConfig):
    name = "jisr_hq"
    verbose_name = _("Jisr headquarters")
    default_auto_field = "django.db.models.BigAutoField"
