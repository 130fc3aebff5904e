"""REST API of the payroll: runs (list, detail) and the maker–checker steps — compute, review, reopen,
lock — each through its service (the same guards as the admin buttons). Bank files stay in the admin."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from benefits.payroll import selectors, services
from benefits.payroll.models import PayrollRun
from reemployment.core.errors import DomainError
from reemployment.core.models import RegionLevel
from reemployment.core.scoping import regions_for


class CanViewRuns(BasePermission):
    def has_permission(self, request, view):
        if not request.user.has_perm("payroll.view_payrollrun"):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or request.user.has_perm("payroll.change_payrollrun")


class PayrollRunSerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.code")
    month = serializers.DateField(format="%Y-%m")
    computed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    locked_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PayrollRun
        fields = ("id", "county", "month", "status", "lines", "households", "persons", "total_amount",
                  "computed_by", "computed_at", "reviewed_by", "reviewed_at", "locked_by", "locked_at",
                  "progress_done", "progress_total", "last_error")


class ComputeSerializer(serializers.Serializer):
    county = serializers.CharField(max_length=12, help_text="县/区 行政区划代码")
    month = serializers.CharField(max_length=7, help_text="YYYY-MM")


class PayrollRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly payroll runs (月度发放) of the caller's jurisdiction. The county user who computed a run may
    neither review nor lock it (maker–checker); bank files come from locked runs only."""

    serializer_class = PayrollRunSerializer
    permission_classes = (IsAuthenticated, CanViewRuns)
    filterset_fields = ("status",)

    def get_queryset(self) -> QuerySet[PayrollRun]:
        return selectors.runs_for(self.request.user).select_related("computed_by", "reviewed_by", "locked_by")

    def _answer(self, run: PayrollRun, code: int = status.HTTP_200_OK) -> Response:
        return Response(PayrollRunSerializer(self.get_queryset().get(pk=run.pk)).data, status=code)

    @extend_schema(request=ComputeSerializer, responses={202: PayrollRunSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """Compute (or complete) a county's month in the background (Celery); poll the run for progress."""
        body = ComputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        county = regions_for(request.user).filter(code=body.validated_data["county"],
                                                  level=RegionLevel.COUNTY).first()
        if county is None:
            raise DomainError(_("没有这个县/区，或不在您的辖区"), code="not_found", status=404)
        run = services.payroll_run_request(actor=request.user, county=county, month=body.validated_data["month"])
        return self._answer(run, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=PayrollRunSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        _ = request.data  # a malformed body answers 400 (core/parsers.py) before the step runs
        return self._answer(services.payroll_run_review(actor=request.user, run=self.get_object()))

    @extend_schema(request=None, responses=PayrollRunSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        _ = request.data  # a malformed body answers 400 (core/parsers.py) before the step runs
        return self._answer(services.payroll_run_reopen(actor=request.user, run=self.get_object()))

    @extend_schema(request=None, responses=PayrollRunSerializer)
    @action(detail=True, methods=["post"])
    def lock(self, request, pk=None):
        _ = request.data  # a malformed body answers 400 (core/parsers.py) before the step runs
        return self._answer(services.payroll_run_lock(actor=request.user, run=self.get_object()))

