"""Shared API pieces: the exception handler, the /me and /regions endpoints; the permission every
endpoint asks for and the throttles are in ``api_access`` (re-exported here)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from reemployment.core import request_context
from reemployment.core.api_access import PublicThrottle, RolePermission, SearchThrottle  # noqa: F401 (re-exported)
from reemployment.core.errors import DomainError
from reemployment.core.models import Region, Role
from reemployment.core.scoping import regions_for, scope_model


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related field whose choices — and the ids it accepts — are limited to the request user's
    jurisdiction: the browsable API lists none of another area's records, and a posted id from
    outside answers 400 "does not exist" like any unknown id. ``recipient_filter`` names the
    lookup to the account for fields a recipient may fill (their own household's records)."""

    def __init__(self, *args, recipient_filter: str | None = None, **kwargs):
        self.recipient_filter = recipient_filter
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        user = request.user
        if getattr(user, "role", None) == Role.RECIPIENT:
            return queryset.filter(**{self.recipient_filter: user}) if self.recipient_filter else queryset.none()
        if queryset.model is Region:
            return regions_for(user)
        return scope_model(queryset, user)


def exception_handler(exc, context):
    """Turn DomainError into a JSON error with the person-readable message. DRF's own permission refusals
    are noted for the audit log (a domain ``PermissionDenied`` notes itself)."""
    if isinstance(exc, exceptions.PermissionDenied):
        request_context.note_denied(str(exc.detail), code="api_permission")
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code}
        if exc.field_errors:
            body["errors"] = exc.field_errors
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": " ".join(exc.messages), "code": "invalid"}, status=400)
    return drf_exception_handler(exc, context)


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "area", "parent"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions inside the caller's jurisdiction."""

    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return regions_for(self.request.user).select_related("parent")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    region = serializers.CharField(allow_null=True)


class MeView(APIView):
    """Who the caller is: role and home region."""

    required_permissions = ()  # any logged-in user, recipients too
    recipient_actions = frozenset({"get"})

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            {
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role,
                "region": user.region.code if user.region_id else None,
            }
        )


def only_project_endpoints(endpoints):
    """drf-spectacular preprocessing hook: the schema documents /api/v1/ only (not Wagtail's admin API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
