from django.urls import path
from rest_framework.routers import DefaultRouter

from reemployment.core.api import MeView, RegionViewSet

router = DefaultRouter(trailing_slash=True)
router.register("regions", RegionViewSet, basename="region")

urlpatterns = [path("me/", MeView.as_view(), name="api-me"), *router.urls]
