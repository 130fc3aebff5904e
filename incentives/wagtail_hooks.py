"""Admin: transition proposals (confirm/dismiss), public-labour records and the monthly list."""

from django import forms
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from benefits.models import Member
from incentives import services, views
from incentives.models import PublicLabourRecord, RuleApplication, TransitionProposal
from reemployment.core.admin_views import PermissionMenuItem, ScopedChoicesForm, ScopedModelViewSet
from reemployment.core.scoping import scope_model


class DecideColumn(Column):
    def get_value(self, instance):
        url = reverse("incentives_proposal_decide", args=[instance.pk])
        label = _("确认/不予适用") if instance.status == "proposed" else _("查看")
        return format_html('<a href="{}">{}</a>', url, label)


class TransitionProposalViewSet(ScopedModelViewSet):
    model = TransitionProposal
    icon = "tick"
    menu_label = _("就业过渡期")
    list_display = ["household", "member", "job_start", "monthly_earnings", "transition_amount", "until", "status",
                    DecideColumn("decide", label=_("处理"))]
    list_filter = ["status"]
    form_fields = ["note"]
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False


def _save_labour(*, actor, instance):
    return services.public_labour_record(actor=actor, member=instance.member, month=instance.month,
                                         kind=instance.kind, hours=instance.hours, note=instance.note)


class PublicLabourForm(ScopedChoicesForm):
    """The member is named by ID number (a county has tens of thousands of members: no dropdown),
    looked up inside the user's jurisdiction only."""

    id_number = forms.CharField(label=_("身份证号码"), max_length=18, min_length=18)

    field_order = ["id_number", "month", "kind", "hours", "note"]

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        member = scope_model(Member.objects.select_related("household__region"), self.for_user).filter(
            id_number=value, died_on__isnull=True).first()
        if member is None:
            raise forms.ValidationError(_("您的辖区内没有该身份证号码的在册成员"))
        self.instance.member = member
        return value


class PublicLabourViewSet(ScopedModelViewSet):
    model = PublicLabourRecord
    icon = "group"
    menu_label = _("公益性劳动")
    save_service = staticmethod(_save_labour)
    list_display = ["member", "month", "kind", "hours", "recorded_by"]
    list_filter = ["kind", "month"]
    form_base = PublicLabourForm
    form_fields = ["month", "kind", "hours", "note"]
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False


class RuleApplicationViewSet(ScopedModelViewSet):
    model = RuleApplication
    icon = "doc-full"
    menu_label = _("规则适用记录")
    list_display = ["household", "rule", "as_of", "actor_label", "at"]
    list_filter = ["rule"]
    form_fields = ["rule"]
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    inspect_view_fields = ["household", "rule", "as_of", "parameters", "inputs", "result", "explanation",
                           "actor_label", "at"]


class IncentivesGroup(ViewSetGroup):
    menu_label = _("就业激励")
    menu_icon = "group"
    menu_order = 300
    items = (TransitionProposalViewSet, PublicLabourViewSet, RuleApplicationViewSet)


@hooks.register("register_admin_viewset")
def register_incentive_viewsets():
    return IncentivesGroup()


@hooks.register("register_admin_urls")
def register_incentive_urls():
    return [
        path("incentives/proposals/<int:pk>/decide/", views.proposal_decide, name="incentives_proposal_decide"),
        path("incentives/public-labour/report/", views.public_labour_report, name="incentives_public_labour_report"),
    ]


@hooks.register("register_admin_menu_item")
def register_labour_report_menu_item():
    return PermissionMenuItem(_("公益性劳动月度情况"), reverse("incentives_public_labour_report"),
                              icon_name="list-ul", order=310, permission="incentives.view_publiclabourrecord")
