"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE; docs/security.md,
"HQ admin hardening"): plain translated words, how long it lasts, whom to ask; 429."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    answer = render(request, "lockout.html", {"cooloff_minutes": minutes}, status=429)
    answer.headers["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return answer
