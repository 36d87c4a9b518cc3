"""Which centers an HQ account may see: national, one region, one province, one center."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from jisr_hq.dashboard.divisions import region_of
from jisr_hq.models import Center, DashboardScope


def scope_of(user: AbstractBaseUser | AnonymousUser) -> DashboardScope | None:
    if not user.is_authenticated:
        return None
    return DashboardScope.objects.filter(user_id=user.pk).first()


def visible_centers(scope: DashboardScope | None) -> list[Center]:
    """The centers the scope allows, by code; none without a scope."""
    if scope is None:
        return []
    centers = list(Center.objects.order_by("code"))
    if scope.level == "national":
        return centers
    if scope.level == "region":
        return [c for c in centers if region_of(c.province_code) == scope.code]
    if scope.level == "province":
        return [c for c in centers if c.province_code == scope.code]
    if scope.level == "center":
        return [c for c in centers if c.code == scope.code]
    return []


def center_in_scope(scope: DashboardScope | None, code: str) -> Center:
    """The center of that code if the scope allows it; 404 otherwise (an account does not
    learn whether a center it may not see exists)."""
    for center in visible_centers(scope):
        if center.code == code:
            return center
    raise Http404("no such center")
