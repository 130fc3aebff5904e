"""Recipient self-service URLs, mounted at /me/training/ by reemployment/urls.py."""

from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.my_training, name="my_training"),
    path("enrol/", views.enrol, name="enrol"),
    path("enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("wishes/", views.wish, name="wish"),
]
