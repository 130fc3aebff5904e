"""Staff admin of benefits (Wagtail): households, members, incomes, assets, applications, enrolments,
reviews and the post-entry follow-up queue — every view scoped to the user's jurisdiction
(``ScopedModelViewSet``), every change through a service. Step actions (survey, appraisal, notice, review,
approval, enrolment, objections, moving a member, suspending/resuming/ending an enrolment, review
decisions, recipient logins) are buttons on the record's page leading to ``<pk>/do/<action>/``."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from benefits import admin_actions, selectors, services
from benefits import hooks as benefit_hooks
from benefits.models import (
    Application,
    ApplicationEvent,
    Asset,
    Enrolment,
    Household,
    IncomeItem,
    Member,
    Relation,
    Review,
)
from benefits.services import repricing as standard_change
from reemployment.core.admin_actions import ActionInspectView, ActionsMixin
from reemployment.core.admin_views import (
    PermissionMenuItem,
    ScopedCreateView,
    ScopedEditView,
    ScopedIndexView,
    ScopedModelViewSet,
)
from reemployment.core.errors import DomainError
from reemployment.core.models import today as local_today
from reemployment.core.scoping import scope_model
from reemployment.core.selectors import region_by_code


def _table(headers, rows) -> str:
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join("", "<tr>{}</tr>", (
        (format_html_join("", "<td>{}</td>", ((cell if cell not in (None, "") else "—",) for cell in row)),)
        for row in rows))
    return format_html('<table class="listing"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head,
                       body or mark_safe("<tr><td>—</td></tr>"))


class BenefitActionsMixin(ActionsMixin):
    """Benefit actions check nothing in the view beyond the jurisdiction: the service decides (role,
    step) and its error — e.g. a step already taken in another tab — is shown on the form."""

    refuse_unavailable = False
    copy_view_enabled = False


def _index(*related):
    """A scoped index view that loads the listed relations in the same query (no N+1 on lists)."""

    def get_base_queryset(self):
        return ScopedIndexView.get_base_queryset(self).select_related(*related)

    return type("Index", (ScopedIndexView,), {"get_base_queryset": get_base_queryset})


class CreateView(ScopedCreateView):
    # Wagtail's form_invalid reads this attribute, set only when the form itself is invalid; a service's
    # DomainError (shown by ServiceSaveMixin) would otherwise end in an AttributeError.
    produced_error_message = None


class EditView(ScopedEditView):
    produced_error_message = None


def _save(service):
    return staticmethod(lambda *, actor, instance: service(actor=actor, instance=instance))


# --- Households and their records -------------------------------------------------------------


class HouseholdInspectView(ActionInspectView):
    extra_labels = {"member_table": _("家庭成员"), "income_table": _("收入"), "asset_table": _("财产"),
                    "application_table": _("申请"), "enrolment_table": _("待遇")}

    def get_member_table_display_value(self):
        # The name leads to the member's page (its edit and 迁至其他家庭 buttons).
        return _table(["姓名", "身份证号", "关系", "性别", "出生日期", "劳动能力", "重病", "残疾", "三无", "状态"], [
            (format_html('<a href="{}">{}</a>', reverse("benefit_members:inspect", args=(m.pk,)), m.name),
             m.id_number, m.get_relation_display(), m.get_sex_display(), m.birth_date,
             m.get_work_ability_display(), "是" if m.serious_illness else "", m.disability_grade or "",
             "是" if m.three_no else "",
             f"{m.died_on} 死亡" if m.died_on else (f"{m.left_on} 离户" if m.left_on else "在册"))
            for m in self.object.members.all()])

    def get_income_table_display_value(self):
        return _table(["成员", "类型", "月收入", "实物"], [
            (i.member, i.get_kind_display(), i.monthly_amount, f"{i.quantity} {i.unit}" if i.quantity else "")
            for i in self.object.incomes.select_related("member")])

    def get_asset_table_display_value(self):
        return _table(["类型", "金额", "说明"], [(a.get_kind_display(), a.value, a.description)
                                            for a in self.object.assets.all()])

    def get_application_table_display_value(self):
        return _table(["编号", "环节", "受理日期"], [(a.number, a.get_step_display(), a.submitted_on)
                                               for a in self.object.applications.all()])

    def get_enrolment_table_display_value(self):
        return _table(["低保证号", "类别", "月保障金", "状态", "起始", "下次复核"], [
            (e.certificate_number, e.category, e.monthly_amount, e.get_status_display(), e.start_date,
             e.next_review_on) for e in self.object.enrolments.all()])

    def get_fields_context(self):
        # Panels of higher apps (benefits.hooks.register_household_panel), e.g. the notifications.
        panels = [{"label": label, "value": render(self.request.user, self.object), "component": None}
                  for label, render in benefit_hooks.household_panels()]
        return [*super().get_fields_context(), *panels]


class HouseholdViewSet(BenefitActionsMixin, ScopedModelViewSet):
    name = "benefit_households"
    model = Household
    index_view_class = _index("region")
    icon = "group"
    menu_label = _("家庭")
    object_actions = admin_actions.HOUSEHOLD_ACTIONS
    inspect_view_class = HouseholdInspectView
    add_view_class = CreateView
    edit_view_class = EditView
    save_service = _save(services.household_save)
    list_display = ["number", "region", "area", "address", "created_at"]
    list_filter = ["area"]
    search_fields = ["number", "members__name", "members__id_number"]
    # The area (城乡) follows the community's; the number is given by the service.
    form_fields = ["region", "address", "phone", "single_parent", "disaster", "bank_account", "bank_name"]
    inspect_view_fields = ["number", "region", "area", "address", "phone", "single_parent", "disaster", "flags",
                           "account", "member_table", "income_table", "asset_table", "application_table",
                           "enrolment_table"]
    delete_view_enabled = False
    copy_view_enabled = False


class MemberViewSet(BenefitActionsMixin, ScopedModelViewSet):
    name = "benefit_members"
    model = Member
    index_view_class = _index("household")
    icon = "user"
    menu_label = _("家庭成员")
    object_actions = admin_actions.MEMBER_ACTIONS
    add_view_class = CreateView
    edit_view_class = EditView
    save_service = _save(services.member_save)
    add_view_enabled = False  # added from the household's page
    delete_view_enabled = False
    copy_view_enabled = False
    list_display = ["name", "id_number", "household", "relation", "sex", "birth_date", "work_ability"]
    list_filter = ["relation", "sex", "work_ability", "three_no", "serious_illness"]
    search_fields = ["name", "id_number", "household__number"]
    # No date of death here: a death goes through the death report (廉政与监督 → 死亡报告), which stops
    # payment and recovers what was paid after it. A move goes through 迁至其他家庭 (member_move).
    form_fields = ["id_number", "name", "sex", "birth_date", "relation", "hukou_area", "serious_illness",
                   "disability_grade", "work_ability", "student_status", "three_no", "left_on"]
    inspect_view_fields = ["name", "id_number", "household", "relation", "sex", "birth_date", "hukou_area",
                           "serious_illness", "disability_grade", "work_ability", "student_status", "three_no",
                           "died_on", "left_on", "previous_household"]


class IncomeViewSet(ScopedModelViewSet):
    name = "benefit_incomes"
    model = IncomeItem
    index_view_class = _index("household", "member")
    icon = "decimal"
    menu_label = _("家庭收入")
    add_view_class = CreateView
    edit_view_class = EditView
    save_service = _save(services.income_save)
    add_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    list_display = ["household", "member", "kind", "monthly_amount", "quantity", "unit"]
    list_filter = ["kind"]
    search_fields = ["household__number", "member__name", "member__id_number"]
    form_fields = ["kind", "monthly_amount", "quantity", "unit", "work_costs", "away_from_home", "note"]


class AssetViewSet(ScopedModelViewSet):
    name = "benefit_assets"
    model = Asset
    index_view_class = _index("household")
    icon = "home"
    menu_label = _("家庭财产")
    add_view_class = CreateView
    edit_view_class = EditView
    save_service = _save(services.asset_save)
    add_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    list_display = ["household", "kind", "value", "description"]
    list_filter = ["kind"]
    search_fields = ["household__number"]
    form_fields = ["kind", "value", "description"]


# --- Applications ----------------------------------------------------------------------------


class ApplicationInspectView(ActionInspectView):
    extra_labels = {"step_history": _("办理记录"), "objection_table": _("公示异议"),
                    "attachment_table": _("附件"), "stage_plan": _("审核公示环节")}

    def get_stage_plan_display_value(self):
        """The review and notice stages this application follows (kept from its submission date)."""
        return selectors.application_plan(self.object).label()

    def get_step_history_display_value(self):
        events = ApplicationEvent.objects.filter(application=self.object).order_by("at", "id")
        return _table(["时间", "环节", "经办人", "情况/意见"], [
            (f"{e.at:%Y-%m-%d %H:%M}", e.get_action_display(), e.actor_label, e.findings) for e in events])

    def get_objection_table_display_value(self):
        return _table(["提出日期", "内容", "状态", "处理结果"], [
            (o.raised_on, o.text, o.get_status_display(), o.resolution) for o in self.object.objections.all()])

    def get_attachment_table_display_value(self):
        namespace = self.index_url_name.split(":")[0]
        return _table(["文件", "类型", "大小", "上传时间"], [
            (format_html('<a href="{}">{}</a>', reverse(f"{namespace}:attachment", args=(self.object.pk, a.pk)),
                         a.original_name), a.content_type, a.size, f"{a.uploaded_at:%Y-%m-%d %H:%M}")
            for a in self.object.attachments.all()])


class ApplicationViewSet(BenefitActionsMixin, ScopedModelViewSet):
    name = "benefit_applications"
    model = Application
    index_view_class = _index("household")
    icon = "form"
    menu_label = _("低保申请")
    object_actions = admin_actions.APPLICATION_ACTIONS
    inspect_view_class = ApplicationInspectView
    add_view_enabled = False  # submitted from the household's page
    edit_view_enabled = False  # moved only by the step actions
    delete_view_enabled = False
    copy_view_enabled = False
    form_fields = ["reason"]
    list_display = ["number", "household", "area", "step", "fast_track", "category", "monthly_amount",
                    "submitted_on"]
    list_filter = ["step", "area", "fast_track", "cadre_relative"]
    search_fields = ["number", "household__number", "household__members__name", "household__members__id_number"]
    def get_urlpatterns(self):
        return [*super().get_urlpatterns(),
                path("<int:pk>/attachment/<int:attachment_pk>/", self.attachment_view, name="attachment")]

    def attachment_view(self, request, pk, attachment_pk):
        """Case files are read here only: the application must be inside the user's jurisdiction."""
        application = get_object_or_404(scope_model(Application.objects.all(), request.user), pk=pk)
        attachment = get_object_or_404(application.attachments, pk=attachment_pk)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)

    inspect_view_fields = ["number", "household", "area", "step", "stage_plan", "fast_track", "reason", "survey_findings",
                           "appraisal", "township_opinion", "category", "monthly_amount", "persons", "assessment",
                           "notice_start", "notice_end", "decision_reason", "rejection_notice", "enrolment",
                           "cadre_relative", "cadre_relative_note",
                           "step_history", "objection_table", "attachment_table"]


# --- Enrolments and reviews ------------------------------------------------------------------


class EnrolmentInspectView(ActionInspectView):
    extra_labels = {"event_table": _("待遇变动记录")}

    def get_event_table_display_value(self):
        return _table(["生效日期", "类型", "状态", "类别", "金额", "原因"], [
            (e.effective_on, e.get_kind_display(), f"{e.status_before or '—'} → {e.status_after}",
             f"{e.category_before or '—'} → {e.category_after}", f"{e.amount_before or '—'} → {e.amount_after}",
             e.reason) for e in self.object.events.all()])


class EnrolmentViewSet(BenefitActionsMixin, ScopedModelViewSet):
    name = "benefit_enrolments"
    model = Enrolment
    index_view_class = _index("household")
    icon = "tick-inverse"
    menu_label = _("低保待遇")
    object_actions = admin_actions.ENROLMENT_ACTIONS
    inspect_view_class = EnrolmentInspectView
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    form_fields = ["category"]
    list_display = ["certificate_number", "household", "area", "category", "monthly_amount", "persons", "status",
                    "start_date", "next_review_on"]
    list_filter = ["status", "area", "category"]
    search_fields = ["certificate_number", "household__number", "household__members__name",
                     "household__members__id_number"]
    inspect_view_fields = ["certificate_number", "household", "area", "category", "monthly_amount", "persons",
                           "status", "start_date", "end_date", "next_review_on", "transition_amount",
                           "transition_until", "event_table"]


class ReviewViewSet(BenefitActionsMixin, ScopedModelViewSet):
    name = "benefit_reviews"
    model = Review
    index_view_class = _index("household")
    icon = "doc-full"
    menu_label = _("复核")
    object_actions = admin_actions.REVIEW_ACTIONS
    add_view_enabled = False
    edit_view_enabled = False
    delete_view_enabled = False
    copy_view_enabled = False
    form_fields = ["findings"]
    list_display = ["household", "kind", "status", "reason", "due_on", "outcome", "takes_effect_on"]
    list_filter = ["kind", "status", "outcome", "effect_pending", "cadre_relative"]
    search_fields = ["household__number", "household__members__name", "household__members__id_number"]
    inspect_view_fields = ["household", "enrolment", "kind", "status", "reason", "due_on", "opened_at", "outcome",
                           "findings", "new_category", "new_amount", "takes_effect_on", "effect_pending",
                           "cadre_relative", "cadre_relative_note", "assessment", "decided_by", "decided_at"]


class PostEntryQueueMenuItem(PermissionMenuItem):
    permission = "benefits.view_review"


class PostEntryQueueViewSet(ViewSet):
    """纳入后跟踪: the open post-entry follow-up reviews of the user's jurisdiction, oldest entry first
    (``selectors.post_entry_queue``); each row leads to the review and its 复核处理 button."""

    name = "benefit_post_entry"
    icon = "history"
    menu_label = _("纳入后跟踪")
    menu_item_class = PostEntryQueueMenuItem
    per_page = 50

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index")]

    def index_view(self, request):
        if not request.user.has_perm("benefits.view_review"):
            return HttpResponseForbidden(gettext("无权查看"))
        queue = selectors.post_entry_queue(request.user).prefetch_related(
            Prefetch("household__members", queryset=Member.objects.filter(relation=Relation.HEAD), to_attr="heads"))
        page = Paginator(queue, self.per_page).get_page(request.GET.get("p"))
        today = local_today()
        rows = [{
            "review": review, "household": review.household, "enrolment": review.enrolment,
            "head": review.household.heads[0].name if review.household.heads else "",
            "overdue": review.due_on < today,
            "review_url": reverse("benefit_reviews:inspect", args=(review.pk,)),
            "household_url": reverse("benefit_households:inspect", args=(review.household_id,)),
        } for review in page.object_list]
        return TemplateResponse(request, "benefits/admin/post_entry_queue.html", {
            "title": _("纳入后跟踪"), "page_obj": page, "rows": rows, "count": page.paginator.count,
            "index_url": reverse(self.get_url_name("index")),
        })


class StandardChangeMenuItem(PermissionMenuItem):
    """Shown to county staff (and admins): re-pricing is county business. No query (role on the user)."""

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or getattr(user, "role", None) in standard_change.REPRICING_ROLES


class StandardChangeViewSet(ViewSet):
    """提标调整: the county's preview of a standard raise (``standard_change_preview``) and, after the
    staff member confirms, its application (``standard_change_apply``). The services check the role and
    the county again; a refusal or an error is shown on the page."""

    name = "benefit_standard_change"
    icon = "calculator"
    menu_label = _("提标调整")
    menu_item_class = StandardChangeMenuItem

    def get_urlpatterns(self):
        return [path("", self.index_view, name="index")]

    def index_view(self, request):
        user = request.user
        if not (user.is_superuser or getattr(user, "role", None) in standard_change.REPRICING_ROLES):
            return HttpResponseForbidden(gettext("无权查看"))
        index_url = reverse(self.get_url_name("index"))
        data = request.POST if request.method == "POST" else request.GET
        region = getattr(user, "region", None)
        county_code = (data.get("county") or (region.code if region is not None else "")).strip()
        month = (data.get("month") or "").strip()
        preview = error = None
        if county_code and month:
            try:
                county = region_by_code(county_code)
                if request.method == "POST" and data.get("confirm") == "1":
                    applied = standard_change.standard_change_apply(actor=user, county=county, month=month)
                    messages.success(request, gettext("已完成提标调整：%(count)s 户金额已调整") % {
                        "count": applied["households_changed"]})
                    return redirect(f"{index_url}?county={county_code}&month={month}")
                preview = standard_change.standard_change_preview(actor=user, county=county, month=month)
            except DomainError as exc:
                error = str(getattr(exc, "message", exc))
        return TemplateResponse(request, "benefits/admin/standard_change.html", {
            "title": _("提标调整"), "county": county_code, "month": month, "preview": preview, "error": error,
            "index_url": index_url,
        })


class BenefitsGroup(ViewSetGroup):
    menu_label = _("低保业务")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (HouseholdViewSet, MemberViewSet, IncomeViewSet, AssetViewSet, ApplicationViewSet, EnrolmentViewSet,
             ReviewViewSet, PostEntryQueueViewSet, StandardChangeViewSet)


@hooks.register("register_admin_viewset")
def register_benefit_viewsets():
    return BenefitsGroup()


from benefits import simulation_admin  # noqa: F401  (registers the 政策测算 page: benefits/simulation_admin.py)
