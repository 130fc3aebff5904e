"""REST endpoints of benefits, mounted under /api/v1/ by reemployment/urls.py."""

urlpatterns: list = []
