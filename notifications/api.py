"""``/api/v1/me/notifications/``: the caller's own inbox, newest first, and marking messages read.

Only the caller's own messages exist here (a recipient's household's, a staff user's own): another
person's message answers 404. Anonymous callers are refused by the default ``IsAuthenticated``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications import selectors, services
from notifications.models import Notification, Status


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(source="is_read",
                                    help_text="Whether the recipient has marked it read. PATCH true to mark it.")

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "text", "language", "created_at", "read", "read_at"]
        read_only_fields = ["id", "event", "title", "text", "language", "created_at", "read_at"]

    def validate_read(self, value):
        if value is not True:
            raise serializers.ValidationError("A message cannot be marked unread.")
        return value

    def update(self, instance, validated_data):
        return services.notification_mark_read(actor=self.context["request"].user, notification=instance)


class MyNotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                            viewsets.GenericViewSet):
    """The caller's inbox. ``?unread=1`` lists unread messages only."""

    serializer_class = NotificationSerializer
    http_method_names = ["get", "patch", "post", "head", "options"]
    # Every login has an inbox of its own (the queryset is theirs only): no model permission is needed,
    # and recipients may call every action (core.api_access.RolePermission).
    required_permissions = ()
    recipient_actions = frozenset({"list", "retrieve", "partial_update", "read", "read_all", "unread_count"})

    def get_queryset(self):
        queryset = selectors.inbox_for(self.request.user)
        if self.request.query_params.get("unread") in {"1", "true"}:
            queryset = queryset.filter(status=Status.SENT)
        return queryset

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one message read (idempotent)."""
        notification = services.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread message read."""
        return Response({"marked": services.notifications_mark_all_read(actor=request.user)})

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        """How many messages are unread (the badge)."""
        return Response({"unread": selectors.unread_count(request.user)})
