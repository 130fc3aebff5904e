"""REST endpoints of benefits.integrity, mounted under /api/v1/."""

urlpatterns: list = []
