"""Recipient self-service pages, mounted at /me/jobs/ (reemployment/urls.py)."""

from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.home, name="me"),
    path("members/<int:member_id>/profile/", views.profile, name="profile"),
    path("seekers/<int:seeker_id>/matches/", views.matches, name="matches"),
]
