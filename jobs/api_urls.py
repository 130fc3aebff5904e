"""REST endpoints of jobs, mounted under /api/v1/ by reemployment/urls.py."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from jobs import api

router = DefaultRouter(trailing_slash=True)
router.register("employers", api.EmployerViewSet, basename="employer")
router.register("vacancies", api.VacancyViewSet, basename="vacancy")
router.register("job-seekers", api.JobSeekerViewSet, basename="job-seeker")
router.register("referrals", api.ReferralViewSet, basename="referral")
router.register("hires", api.HireViewSet, basename="hire")
router.register("sanction-proposals", api.SanctionProposalViewSet, basename="sanction-proposal")

urlpatterns = [
    # Before the router so "search" and "import" are not read as vacancy ids.
    re_path(r"^vacancies/search/?$", api.VacancySearchView.as_view(), name="vacancy-search"),
    path("vacancies/import/", api.VacancyImportView.as_view(), name="vacancy-import"),
    path("job-seekers/obliged-unregistered/", api.ObligedUnregisteredView.as_view(), name="job-seeker-obliged"),
    *router.urls,
]
