"""Recipient pages, mounted at /me/benefit/ (reemployment/urls.py)."""

from django.urls import path

from benefits import views

app_name = "benefits"

urlpatterns = [
    path("", views.benefit_home, name="me"),
    path("report/", views.change_report, name="report"),
]
