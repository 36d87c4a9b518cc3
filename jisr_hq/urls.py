from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from jisr_hq.api import api

urlpatterns = [
    path("api/sync/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("dashboard/", include("jisr_hq.dashboard.urls")),
        prefix_default_language=True,
    ),
]
