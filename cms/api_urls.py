"""REST endpoints of cms, mounted under /api/v1/ by reemployment/urls.py."""

urlpatterns: list = []
