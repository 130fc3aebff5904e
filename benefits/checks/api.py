"""REST API of department checks: flags (list, detail, resolve) and file status, scoped per jurisdiction."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from benefits.checks import selectors, services
from benefits.checks.models import DepartmentFile, Flag
from reemployment.idcard import mask_id_number


class FlagSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.number")
    region = serializers.CharField(source="household.region.code")
    member_id_number = serializers.SerializerMethodField()
    review = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Flag
        fields = ("id", "household", "region", "member_id_number", "kind", "details", "status", "review",
                  "resolution_note", "resolved_at", "created_at")

    def get_member_id_number(self, flag) -> str:
        return mask_id_number(flag.member.id_number) if flag.member_id else ""


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
    # Required for a death that waits in the death report: "confirmed" records it, "rejected" changes nothing.
    outcome = serializers.ChoiceField(choices=sorted(services.DEATH_OUTCOMES), required=False, allow_blank=True)


class FlagViewSet(viewsets.ReadOnlyModelViewSet):
    """Data-matching flags inside the caller's jurisdiction (?status=open|resolved, ?kind=...)."""

    serializer_class = FlagSerializer
    # Permissions (reemployment.core.api.RolePermission): checks.view_flag to read, and to resolve:
    action_permissions = {"resolve": ("checks.view_flag", "checks.resolve_flag")}
    filterset_fields = ("status", "kind")

    def get_queryset(self) -> QuerySet[Flag]:
        return selectors.flags_for(self.request.user)

    @extend_schema(request=ResolveSerializer, responses=FlagSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        flag = self.get_object()  # 404 outside the jurisdiction
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_resolve(actor=request.user, flag=flag, note=data.validated_data["note"],
                                     outcome=data.validated_data.get("outcome", ""))
        return Response(FlagSerializer(selectors.flags_for(request.user).get(pk=flag.pk)).data)


class DepartmentFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = DepartmentFile
        fields = ("id", "source", "original_name", "status", "progress", "rows", "matched_rows", "flags_created",
                  "error_count", "errors", "message", "uploaded_at", "finished_at")


class DepartmentFileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Uploaded department files of the caller's county, with progress and the error report."""

    serializer_class = DepartmentFileSerializer  # checks.view_departmentfile (RolePermission)

    def get_queryset(self) -> QuerySet[DepartmentFile]:
        return selectors.files_for(self.request.user)
