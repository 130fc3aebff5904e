"""REST endpoints of notifications, mounted under /api/v1/ by reemployment/urls.py."""

from rest_framework.routers import DefaultRouter

from notifications.api import MyNotificationViewSet

router = DefaultRouter(trailing_slash=True)
router.register("me/notifications", MyNotificationViewSet, basename="my-notification")

urlpatterns = router.urls
