"""REST endpoints of benefits.checks, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from benefits.checks.api import DepartmentFileViewSet, FlagViewSet

router = DefaultRouter(trailing_slash=True)
router.register("checks/flags", FlagViewSet, basename="checks-flag")
router.register("checks/files", DepartmentFileViewSet, basename="checks-file")

urlpatterns = router.urls
