"""REST endpoints of training, mounted under /api/v1/ by reemployment/urls.py."""

urlpatterns: list = []
