"""Admin screens of county onboarding: the import records, upload, template, export (menu 存量对象导入)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from benefits.onboarding import views
from benefits.onboarding.models import CaseloadImport
from reemployment.core.admin_views import PermissionMenuItem, ScopedIndexView, ScopedModelViewSet


class ProgressColumn(Column):
    cell_template_name = "onboarding/admin/progress_cell.html"


class ImportIndexView(ScopedIndexView):
    """Each import opens on its status page; "add" is the upload page."""

    def get_add_url(self):
        if self.request.user.has_perm("onboarding.import_caseload"):
            return reverse("onboarding_upload")
        return None

    def get_edit_url(self, instance):
        return reverse("onboarding_import_status", args=[instance.pk])


class CaseloadImportViewSet(ScopedModelViewSet):
    model = CaseloadImport
    name = "onboarding_imports"
    index_view_class = ImportIndexView
    url_prefix = "onboarding/imports"
    icon = "doc-full"
    menu_label = _("导入记录")
    list_display = ("original_name", "county", "status", ProgressColumn("progress", label=_("进度")), "households",
                    "persons", "created", "updated", "unchanged", "discrepancy_count", "error_count", "actor_label",
                    "created_at")
    list_filter = ("status",)
    form_fields = ("message",)  # add/edit are replaced by the upload and status pages
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    inspect_view_fields = ("original_name", "county", "status", "message", "sha256", "size", "encoding", "rows",
                           "households", "persons", "created", "updated", "unchanged", "discrepancy_count",
                           "reviews_opened", "error_count", "uploaded_by", "confirmed_by", "actor_label", "created_at",
                           "finished_at")


class OnboardingGroup(ViewSetGroup):
    menu_label = _("存量对象导入")
    menu_icon = "upload"
    menu_order = 290
    items = (CaseloadImportViewSet,)


@hooks.register("register_admin_viewset")
def register_onboarding_viewsets():
    return OnboardingGroup()


@hooks.register("register_admin_urls")
def register_onboarding_urls():
    return [
        path("onboarding/upload/", views.UploadView.as_view(), name="onboarding_upload"),
        path("onboarding/imports/<int:pk>/status/", views.ImportStatusView.as_view(), name="onboarding_import_status"),
        path("onboarding/imports/<int:pk>/progress.json", views.import_progress, name="onboarding_import_progress"),
        path("onboarding/imports/<int:pk>/errors.csv", views.import_errors, name="onboarding_import_errors"),
        path("onboarding/imports/<int:pk>/discrepancies.csv", views.import_discrepancies,
             name="onboarding_import_discrepancies"),
        path("onboarding/template/", views.template_download, name="onboarding_template"),
        path("onboarding/export/", views.ExportView.as_view(), name="onboarding_export"),
    ]


@hooks.register("register_admin_menu_item")
def upload_menu_item():
    return PermissionMenuItem(_("导入存量对象"), reverse("onboarding_upload"), icon_name="upload", order=291,
                              permission="onboarding.import_caseload")


@hooks.register("register_admin_menu_item")
def export_menu_item():
    return PermissionMenuItem(_("导出在保对象"), reverse("onboarding_export"), icon_name="download", order=292,
                              permission="onboarding.export_caseload")
