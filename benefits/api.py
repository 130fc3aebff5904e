"""REST endpoints of benefits: the public estimate, public notices, and scoped staff reads."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from benefits import public, selectors
from benefits.forms import EstimateInput
from benefits.models import Application, Enrolment, Review
from reemployment.core.api import PublicThrottle


class EstimateView(APIView):
    """Public self-check (低保自助测算): the same rules as the case work. No login, throttled."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicThrottle]

    @extend_schema(request=EstimateInput, responses={200: dict})
    def post(self, request):
        return Response(public.estimate_payload(request.data))


class PublicNoticeView(APIView):
    """Applications in a public notice period (公示): masked names, no ID number, no income."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicThrottle]

    @extend_schema(parameters=[OpenApiParameter("region", str)], responses={200: dict})
    def get(self, request):
        return Response({"results": selectors.public_notices(request.query_params.get("region") or None)})


class ApplicationSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number")
    area = serializers.CharField(read_only=True)  # "urban" | "rural" (plain string: one enum name per schema)

    class Meta:
        model = Application
        fields = ["id", "number", "household", "area", "step", "fast_track", "category", "monthly_amount",
                  "persons", "notice_start", "notice_end", "submitted_on"]


class EnrolmentSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number")
    area = serializers.CharField(read_only=True)  # "urban" | "rural" (plain string: one enum name per schema)

    class Meta:
        model = Enrolment
        fields = ["id", "certificate_number", "household", "area", "category", "monthly_amount", "persons",
                  "status", "start_date", "end_date", "next_review_on"]


class ReviewSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number")

    class Meta:
        model = Review
        fields = ["id", "household", "kind", "status", "reason", "due_on", "outcome", "decided_at"]


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications inside the caller's jurisdiction (benefits.view_application: civil-affairs staff,
    never the labour bureau)."""

    serializer_class = ApplicationSerializer
    filterset_fields = ["step", "area", "fast_track"]

    def get_queryset(self):
        return selectors.applications_for(self.request.user)


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments inside the caller's jurisdiction (benefits.view_enrolment)."""

    serializer_class = EnrolmentSerializer
    filterset_fields = ["status", "area", "category"]

    def get_queryset(self):
        return selectors.enrolments_for(self.request.user)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviews inside the caller's jurisdiction (benefits.view_review)."""

    serializer_class = ReviewSerializer
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return selectors.reviews_for(self.request.user)
