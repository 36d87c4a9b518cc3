from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from jisr_hq.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("health/", views.sync_health, name="health"),
    path("center/<str:code>/", views.center_sheet, name="center"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="dashboard/login.html", next_page="dashboard:overview"
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="dashboard:login"), name="logout"),
]
