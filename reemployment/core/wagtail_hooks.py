"""Admin screens for shared records: regions, standards, parameters, audit log."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.admin.viewsets.base import ViewSetGroup

from reemployment.core import services
from reemployment.core.admin_views import ScopedModelViewSet
from reemployment.core.models import AuditEvent, ParameterSet, Region, Standard, User


class LocalDateTimeDisplay(BaseFieldDisplay):
    """A date-time on an inspect page in local time (Asia/Shanghai), as the lists show it: Wagtail's inspect
    template prints the value with ``|localize``, which formats the stored UTC (issue 15, finding 8)."""

    def render_html(self, parent_context=None):
        if self.value is None:
            return "-"
        return formats.date_format(timezone.localtime(self.value), "DATETIME_FORMAT")


# Every inspect page of the admin (audit events, payroll runs, files, users…).
register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)


def _save_standard(*, actor, instance):
    return services.standard_save(actor=actor, standard=instance)


def _save_parameters(*, actor, instance):
    return services.parameter_set_save(actor=actor, parameter_set=instance)


def _save_region(*, actor, instance):
    return services.region_save(actor=actor, region=instance)


class RegionViewSet(ScopedModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("行政区划")
    # Moving or renumbering a region rewrites its subtree (paths, codes) and is audited.
    save_service = staticmethod(_save_region)
    list_display = ["name", "code", "level", "area", "parent"]
    list_filter = ["level", "area"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name", "level", "area", "parent"]
    copy_view_enabled = False
    # Regions are referenced by every record of their jurisdiction: never deleted (rename or move instead).
    delete_view_enabled = False


class StandardViewSet(ScopedModelViewSet):
    model = Standard
    icon = "decimal"
    menu_label = _("低保标准")
    save_service = staticmethod(_save_standard)
    list_display = ["region", "area", "monthly_amount", "valid_from", "note"]
    list_filter = ["area"]
    form_fields = ["region", "area", "monthly_amount", "valid_from", "note"]


class ParameterSetViewSet(ScopedModelViewSet):
    model = ParameterSet
    icon = "cogs"
    menu_label = _("政策参数")
    save_service = staticmethod(_save_parameters)
    list_display = ["region", "valid_from", "note"]
    form_fields = ["region", "valid_from", "values", "note"]


class AuditEventViewSet(ScopedModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("审计记录")
    list_display = ["at", "actor_label", "action", "object_type", "object_id", "object_label", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action", "actor_label"]
    form_fields = ["note"]  # required by ModelViewSet; the add and edit views are disabled
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    inspect_view_fields = ["at", "actor_label", "action", "object_type", "object_id", "object_label", "region",
                           "ip_address", "session", "before", "after", "note"]


class PolicyGroup(ViewSetGroup):
    menu_label = _("基础与政策")
    menu_icon = "cog"
    menu_order = 900
    items = (RegionViewSet, StandardViewSet, ParameterSetViewSet, AuditEventViewSet)


@hooks.register("register_admin_viewset")
def register_policy_viewsets():
    return PolicyGroup()


@hooks.register("before_bulk_action")
def refuse_bulk_user_changes(request, action_type, objects, action_class_instance):
    # Logins change one by one through services.user_save (audited); Wagtail's bulk delete, activate
    # and group assignment would bypass it (users_admin.py hides them; this refuses a crafted POST).
    if action_class_instance.model is User:
        raise DjangoPermissionDenied(gettext("批量修改登录账号不可用"))
