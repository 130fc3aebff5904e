"""REST endpoints of benefits, mounted under /api/v1/ by reemployment/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from benefits import api

router = SimpleRouter()
router.register("benefits/applications", api.ApplicationViewSet, basename="benefit-application")
router.register("benefits/enrolments", api.EnrolmentViewSet, basename="benefit-enrolment")
router.register("benefits/reviews", api.ReviewViewSet, basename="benefit-review")

urlpatterns = [
    path("eligibility/estimate", api.EstimateView.as_view(), name="eligibility-estimate"),
    path("benefits/notices", api.PublicNoticeView.as_view(), name="benefit-notices"),
    *router.urls,
]
