"""REST endpoints of training, mounted under /api/v1/ by reemployment/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from training.api import CourseViewSet, OpenCoursesView

router = SimpleRouter(trailing_slash=True)
router.register("training/courses", CourseViewSet, basename="training-course")

urlpatterns = [
    path("training/open-courses/", OpenCoursesView.as_view(), name="training-open-courses"),
    *router.urls,
]
