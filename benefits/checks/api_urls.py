"""REST endpoints of benefits.checks, mounted under /api/v1/."""

urlpatterns: list = []
