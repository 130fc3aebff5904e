"""Admin screens of training: providers, courses (with the roster), accountability reviews,
subsidies, survey answers; the report and the survey summary under Reports."""

from __future__ import annotations

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem as ListMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup

from reemployment.core.admin_views import (
    PermissionMenuItem,
    ScopedChoicesForm,
    ScopedIndexView,
    ScopedModelViewSet,
)
from reemployment.core.scoping import scope_model
from training import admin_views, services
from training.models import (
    AccountabilityReview,
    Course,
    Provider,
    ReviewStatus,
    SubsidyPayment,
    SubsidyStatus,
    TrainingWish,
)


class WishForm(ScopedChoicesForm):
    """The member is given by ID number (a county has tens of thousands: no drop-down list)."""

    id_number = forms.CharField(label=_("身份证号码"), max_length=18)

    class Meta:
        model = TrainingWish
        fields = ("course_type", "survey_round", "surveyed_on", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["id_number"].initial = self.instance.member.id_number
        self.order_fields(["id_number", "course_type", "survey_round", "surveyed_on", "note"])

    def clean_id_number(self):
        from benefits.models import Member

        number = self.cleaned_data["id_number"].strip().upper()
        member = scope_model(Member.objects.select_related("household__region"), self.for_user).filter(
            id_number=number).first()
        if member is None:
            raise forms.ValidationError(_("辖区内没有此身份证号码的人员"))
        self.instance.member = member
        return number


class CourseForm(ScopedChoicesForm):
    """The vacancy certificate is chosen from the certificate names vacancies use (the matching
    vocabulary), so an earned course certificate equals what a vacancy requires."""

    standard_certificate = forms.ChoiceField(
        label=_("对应岗位证书"), required=False,
        choices=lambda: [("", _("— 无 / 按证书名称识别 —")), *((c, c) for c in services.standard_certificates())],
        help_text=_("学员获证后按此名称参与岗位匹配（与岗位“要求证书”同一目录），如 焊工（初级）职业技能等级证书 → 焊工证"))


def _save_provider(*, actor, instance):
    return services.provider_save(actor=actor, provider=instance)


def _save_course(*, actor, instance):
    return services.course_save(actor=actor, course=instance)


def _save_review(*, actor, instance):
    return services.accountability_review_save(actor=actor, review=instance)


def _save_wish(*, actor, instance):
    return services.training_wish_save(actor=actor, wish=instance)


class ProviderViewSet(ScopedModelViewSet):
    model = Provider
    icon = "group"
    menu_label = _("培训机构")
    url_prefix = "training/providers"
    url_namespace = "training_provider"
    save_service = staticmethod(_save_provider)
    list_display = ["name", "region", "contact", "phone", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    form_fields = ["name", "region", "licence_number", "contact", "phone", "address", "active"]
    delete_view_enabled = False
    copy_view_enabled = False


class CourseIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.insert(0, ListMenuItem(_("花名册"), url=reverse("training_roster", args=[instance.pk]),
                                       icon_name="group", priority=5))
        return buttons


class CourseViewSet(ScopedModelViewSet):
    model = Course
    icon = "doc-full"
    menu_label = _("培训班")
    url_prefix = "training/courses"
    url_namespace = "training_course"
    index_view_class = CourseIndexView
    form_base = CourseForm
    save_service = staticmethod(_save_course)
    list_display = ["title", "provider", "course_type", "starts_on", "status", "enrolled_count", "capacity",
                    "output_rate", "outcome"]
    list_filter = ["status", "course_type", "outcome"]
    search_fields = ["title", "occupation"]
    form_fields = ["provider", "title", "course_type", "occupation", "region", "place", "starts_on", "ends_on",
                   "capacity", "subsidy_per_trainee", "certificate_name", "standard_certificate", "description"]
    inspect_view_fields = ["provider", "title", "course_type", "occupation", "region", "place", "starts_on",
                           "ends_on", "capacity", "enrolled_count", "subsidy_per_trainee", "certificate_name",
                           "standard_certificate", "status", "completed_count", "placed_count", "basic_fail_count",
                           "completion_rate", "output_rate", "outcome", "outcome_final", "marked_for_reward",
                           "subsidy_amount", "assessed_at", "created_by"]
    delete_view_enabled = False
    copy_view_enabled = False


class ReviewFilterSet(WagtailFilterSet):
    """Status, outcome, and 未指定承办人: reviews nobody has been assigned to, so none is forgotten."""

    unassigned = django_filters.BooleanFilter(label=_("未指定承办人"), method="filter_unassigned",
                                              widget=forms.CheckboxInput)

    class Meta:
        model = AccountabilityReview
        fields = ["status", "outcome"]

    def filter_unassigned(self, queryset, name, value):
        return queryset.filter(owner__isnull=True) if value else queryset


def review_owner_cell(review):
    """The owner, or a warning for an open review nobody has been assigned to."""
    if review.owner_id:
        return review.owner.get_full_name() or review.owner.username
    if review.status == ReviewStatus.OPEN:
        return format_html('<span class="w-status w-status--label" title="{}">⚠ {}</span>',
                           _("请指定承办人"), _("未指定承办人"))
    return "—"


class ReviewIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course", "owner")


class ReviewViewSet(ScopedModelViewSet):
    model = AccountabilityReview
    icon = "warning"
    menu_label = _("责任倒查")
    url_prefix = "training/reviews"
    url_namespace = "training_review"
    index_view_class = ReviewIndexView
    save_service = staticmethod(_save_review)
    list_display = ["course", "status", Column("owner", label=_("责任人(承办)"), accessor=review_owner_cell),
                    "outcome", "opened_at"]
    filterset_class = ReviewFilterSet
    form_fields = ["owner", "findings", "outcome"]
    inspect_view_fields = ["course", "status", "grounds", "owner", "findings", "outcome", "opened_at", "closed_at",
                           "closed_by"]
    add_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False


class SubsidyIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == SubsidyStatus.PROPOSED:
            buttons.insert(0, ListMenuItem(_("核对并支付"), url=reverse("training_subsidy_pay", args=[instance.pk]),
                                           icon_name="tick", priority=5))
        return buttons


class SubsidyViewSet(ScopedModelViewSet):
    model = SubsidyPayment
    icon = "decimal"
    menu_label = _("培训补贴")
    url_prefix = "training/subsidies"
    url_namespace = "training_subsidy"
    index_view_class = SubsidyIndexView
    list_display = ["course", "provider", "amount", "completed_count", "placed_count", "status", "paid_on"]
    list_filter = ["status"]
    form_fields = ["voucher"]  # required by ModelViewSet; add and edit are disabled (pay via the pay view)
    inspect_view_fields = ["course", "provider", "amount", "completed_count", "placed_count", "explanation",
                           "parameters", "status", "computed_at", "paid_on", "voucher", "paid_by"]
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False


class WishViewSet(ScopedModelViewSet):
    model = TrainingWish
    icon = "form"
    menu_label = _("培训意愿登记")
    url_prefix = "training/wishes"
    url_namespace = "training_wish"
    save_service = staticmethod(_save_wish)
    list_display = ["member", "course_type", "region", "survey_round", "surveyed_on"]
    list_filter = ["course_type", "survey_round"]
    form_fields = ["course_type", "survey_round", "surveyed_on", "note"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return WishForm


class TrainingGroup(ViewSetGroup):
    menu_label = _("技能培训")
    menu_icon = "doc-full-inverse"
    menu_order = 400
    items = (CourseViewSet, ProviderViewSet, ReviewViewSet, SubsidyViewSet, WishViewSet)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingGroup()


@hooks.register("register_admin_urls")
def register_training_urls():
    return [
        path("training/courses/<int:pk>/roster/", admin_views.CourseRosterView.as_view(), name="training_roster"),
        path("training/subsidies/<int:pk>/pay/", admin_views.SubsidyPayView.as_view(), name="training_subsidy_pay"),
        path("training/report/", admin_views.TrainingReportView.as_view(), name="training_report"),
        path("training/survey/", admin_views.SurveyView.as_view(), name="training_survey"),
    ]


@hooks.register("register_reports_menu_item")
def register_training_report_menu_item():
    return PermissionMenuItem(_("培训统计报表"), reverse("training_report"), icon_name="table", order=700,
                              permission="training.view_course")


@hooks.register("register_reports_menu_item")
def register_training_survey_menu_item():
    return PermissionMenuItem(_("培训意愿调查汇总"), reverse("training_survey"), icon_name="list-ul", order=710,
                              permission="training.view_trainingwish")
