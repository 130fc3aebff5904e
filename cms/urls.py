"""Self-service URLs of the portal, mounted at /me/ (inside i18n_patterns: /me/ and /en/me/)."""

from django.urls import path

from cms import views

app_name = "cms"

urlpatterns = [
    path("", views.me_hub, name="me"),
]
