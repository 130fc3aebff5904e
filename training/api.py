"""REST API of training: the public list of open courses, and staff reads of courses."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from reemployment.core.api import PublicThrottle
from training import selectors
from training.models import Course


class OpenCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    course_type = serializers.CharField()
    course_type_label = serializers.CharField()
    occupation = serializers.CharField()
    provider = serializers.CharField()
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    place = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField()
    subsidy_per_trainee = serializers.DecimalField(max_digits=12, decimal_places=2)
    certificate_name = serializers.CharField()
    description = serializers.CharField()


class OpenCoursesView(APIView):
    """Upcoming courses with places left (public; no personal data)."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema(parameters=[OpenApiParameter("region", str, description="行政区划代码 (county/township/community)")],
                   responses=OpenCourseSerializer(many=True))
    def get(self, request):
        rows = selectors.open_courses(region_code=request.query_params.get("region") or None)
        return Response(OpenCourseSerializer(rows, many=True).data)


class CourseSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name")
    region = serializers.CharField(source="region.code")

    class Meta:
        model = Course
        fields = ["id", "title", "provider", "course_type", "occupation", "region", "place", "starts_on", "ends_on",
                  "capacity", "enrolled_count", "subsidy_per_trainee", "certificate_name", "standard_certificate",
                  "status", "completed_count", "placed_count", "basic_fail_count", "completion_rate", "output_rate",
                  "outcome", "outcome_final", "marked_for_reward", "subsidy_amount"]


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Courses in the caller's jurisdiction, with their assessment."""

    serializer_class = CourseSerializer
    filterset_fields = ["status", "course_type", "outcome"]

    def get_queryset(self):
        return selectors.courses_for(self.request.user).order_by("-starts_on", "id")
