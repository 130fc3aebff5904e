"""REST endpoints of benefits.payroll, mounted under /api/v1/."""

urlpatterns: list = []
