"""Admin screens of department checks: files, flags, follow-ups, upload, reports, roster, dashboard."""

from django import forms
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from benefits.checks import services, views
from benefits.checks.dashboard import dashboard_data
from benefits.checks.models import DepartmentFile, Flag, FlagKind, FollowUp
from benefits.checks.selectors import flags_for
from reemployment.core.admin_views import (
    PermissionMenuItem,
    ScopedEditView,
    ScopedIndexView,
    ScopedModelViewSet,
)


class FlagResolveForm(forms.ModelForm):
    """The resolution note; for a death that waits in the death report, also what staff found."""

    outcome = forms.ChoiceField(
        label=_("核实结论"), required=False, widget=forms.RadioSelect,
        choices=[(services.DEATH_CONFIRMED, _("确认死亡：登记死亡日期，次月起停发，追回死亡后已发放的金额")),
                 (services.DEATH_REJECTED, _("驳回（数据有误）：本人健在，不改变任何信息"))],
        help_text=_("公安死亡数据须经工作人员核实：确认后才记录死亡并停发待遇。"),
    )

    class Meta:
        model = Flag
        fields = ("resolution_note",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution_note"].required = True
        if self.instance.pk is None or services.pending_death_report(self.instance) is None:
            del self.fields["outcome"]
        else:
            self.fields["outcome"].required = True


class FlagResolveView(ScopedEditView):
    """Saving the form resolves the flag through ``flag_resolve`` (with the death outcome when asked)."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        return services.flag_resolve(actor=self.request.user, flag=instance, note=instance.resolution_note,
                                     outcome=self.form.cleaned_data.get("outcome", ""))


class ProgressColumn(Column):
    cell_template_name = "checks/admin/progress_cell.html"


class FileIndexView(ScopedIndexView):
    """The list's "add" button leads to the upload page (the generic add form is disabled)."""

    def get_add_url(self):
        if self.request.user.has_perm("checks.upload_departmentfile"):
            return reverse("checks_upload")
        return None


class DepartmentFileViewSet(ScopedModelViewSet):
    model = DepartmentFile
    name = "checks_files"
    index_view_class = FileIndexView
    url_prefix = "checks/files"
    icon = "doc-full"
    menu_label = _("比对文件")
    list_display = ("original_name", Column("source_label", label=_("数据来源")), "region", "status",
                    ProgressColumn("progress", label=_("进度")), "rows", "matched_rows", "flags_created",
                    "error_count", "uploaded_at")
    list_filter = ("source", "status")
    form_fields = ("message",)  # add/edit are replaced by the upload view
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    inspect_view_fields = ("original_name", "source", "region", "status", "progress", "message", "encoding", "size",
                           "sha256", "rows", "matched_rows", "flags_created", "error_count", "errors",
                           "uploaded_by", "uploaded_at", "finished_at")


class FlagViewSet(ScopedModelViewSet):
    """Flags of the user's jurisdiction; "edit" is the resolution form (a note), saved by flag_resolve."""

    model = Flag
    name = "checks_flags"
    url_prefix = "checks/flags"
    icon = "warning"
    menu_label = _("比对疑点")
    edit_view_class = FlagResolveView
    list_display = ("household", "member", "kind", "status", "review", "department_file", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("household__number",)
    form_fields = ("resolution_note",)
    add_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    inspect_view_fields = ("household", "member", "kind", "details", "department_file", "review", "status",
                           "resolution_note", "resolved_by", "resolved_at", "created_at")

    def get_form_class(self, for_update=False):
        return FlagResolveForm


class FollowUpViewSet(ScopedModelViewSet):
    model = FollowUp
    name = "checks_follow_ups"
    url_prefix = "checks/follow-ups"
    icon = "tasks"
    menu_label = _("建档立卡跟进")
    list_display = ("poor_household_number", "kind", "region", "household", "review", "status", "created_at")
    list_filter = ("kind", "status")
    form_fields = ("note",)
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    inspect_view_fields = ("poor_household_number", "kind", "finding", "region", "household", "review", "note",
                           "status", "created_by", "created_at")


class ChecksGroup(ViewSetGroup):
    menu_label = _("信息核对与报表")
    menu_icon = "resubmit"
    menu_order = 300
    items = (DepartmentFileViewSet, FlagViewSet, FollowUpViewSet)


@hooks.register("register_admin_viewset")
def register_checks_viewsets():
    return ChecksGroup()


@hooks.register("register_admin_urls")
def register_checks_urls():
    return [
        path("checks/upload/", views.UploadView.as_view(), name="checks_upload"),
        path("checks/files/<int:pk>/status/", views.FileStatusView.as_view(), name="checks_file_status"),
        path("checks/files/<int:pk>/progress.json", views.file_progress, name="checks_file_progress"),
        path("checks/reports/", views.ReportView.as_view(), name="checks_reports"),
        path("checks/poverty/", views.PovertyView.as_view(), name="checks_poverty"),
    ]


@hooks.register("register_admin_menu_item")
def upload_menu_item():
    return PermissionMenuItem(_("上传比对文件"), reverse("checks_upload"), icon_name="upload", order=301,
                              permission="checks.upload_departmentfile")


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    return PermissionMenuItem(_("低保统计报表"), reverse("checks_reports"), icon_name="table", order=302,
                              permission="checks.view_reports")


@hooks.register("register_admin_menu_item")
def poverty_menu_item():
    return PermissionMenuItem(_("建档立卡比对"), reverse("checks_poverty"), icon_name="list-ul", order=303,
                              permission="checks.view_flag")


class DashboardPanel(Component):
    """Charts of the user's jurisdiction on the admin home (Chart.js, served from our static files)."""

    name = "checks_dashboard"
    order = 50
    template_name = "checks/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        region = views.default_region(user)
        open_flags = []
        if user.has_perm("checks.view_flag"):
            labels = dict(FlagKind.choices)
            open_flags = [{"kind": row["kind"], "label": labels.get(row["kind"], row["kind"]), "n": row["n"]}
                          for row in flags_for(user, status="open").order_by().values("kind")
                          .annotate(n=Count("id")).order_by("kind")]
        pending_deaths = 0
        if user.has_perm("integrity.view_deathreport"):
            from benefits.integrity.selectors import pending_death_count

            pending_deaths = pending_death_count(user)
        return {"data": dashboard_data(user, region) if region else None, "region": region,
                "reports_url": reverse("checks_reports"), "open_flags": open_flags,
                "flags_url": reverse("checks_flags:index"), "pending_deaths": pending_deaths,
                "pending_deaths_url": f"{reverse('integrity_deaths:index')}?status=pending"}


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if request.user.has_perm("checks.view_reports"):
        panels.append(DashboardPanel(request))
