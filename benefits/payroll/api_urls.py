"""REST endpoints of benefits.payroll, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from benefits.payroll.api import PayrollRunViewSet

router = DefaultRouter(trailing_slash=True)
router.register("payroll/runs", PayrollRunViewSet, basename="payroll-run")

urlpatterns = router.urls
