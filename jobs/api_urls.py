"""REST endpoints of jobs, mounted under /api/v1/ by reemployment/urls.py."""

urlpatterns: list = []
