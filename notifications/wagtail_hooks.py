"""Staff admin of notifications: a household's notifications and its contact preference, reached
from the household's case page (the panel of ``admin_panel``). The household is fetched through
``scope_model`` (404 outside the jurisdiction); changing the preference goes through
``services.contact_preference_save`` (casework roles, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from benefits.models import Household
from notifications import selectors, services
from notifications.admin_panel import preference_summary
from notifications.forms import PreferenceForm
from reemployment.core.errors import DomainError
from reemployment.core.models import STAFF_ROLES
from reemployment.core.scoping import scope_model


def _household(request, pk):
    return get_object_or_404(scope_model(Household.objects.select_related("region"), request.user), pk=pk)


class MineMenuItem(MenuItem):
    """我的通知: any staff login (their own notifications, e.g. sanction proposals awaiting them)."""

    def is_shown(self, request):
        user = request.user
        return user.is_superuser or getattr(user, "role", "") in STAFF_ROLES


class NotificationsAdmin(ViewSet):
    name = "notifications_admin"
    icon = "mail"
    menu_label = _("我的通知")
    menu_item_class = MineMenuItem
    menu_order = 900
    add_to_admin_menu = True
    per_page = 50

    def get_urlpatterns(self):
        return [path("", self.mine_view, name="mine"),
                path("<int:pk>/read/", self.read_view, name="read"),
                path("household/<int:pk>/", self.household_view, name="household"),
                path("household/<int:pk>/preference/", self.preference_view, name="preference")]

    def mine_view(self, request):
        page = Paginator(selectors.inbox_for(request.user), self.per_page).get_page(request.GET.get("p"))
        return TemplateResponse(request, "notifications/admin/mine.html", {
            "title": gettext("我的通知"), "page_obj": page, "index_url": reverse(self.get_url_name("mine"))})

    def read_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        return redirect(self.get_url_name("mine"))

    def household_view(self, request, pk):
        if not request.user.has_perm("benefits.view_household"):
            return HttpResponseForbidden(gettext("无权查看"))
        household = _household(request, pk)
        page = Paginator(selectors.household_notifications(request.user, household), self.per_page).get_page(
            request.GET.get("p"))
        return TemplateResponse(request, "notifications/admin/household.html", {
            "title": gettext("通知"), "household": household, "page_obj": page,
            "preference": preference_summary(selectors.preference_of(household=household), household),
            "household_url": reverse("benefit_households:inspect", args=(household.pk,)),
            "index_url": reverse(self.get_url_name("household"), args=(household.pk,)),
        })

    def preference_view(self, request, pk):
        if not request.user.has_perm("benefits.change_household"):
            return HttpResponseForbidden(gettext("无权执行此操作"))
        household = _household(request, pk)
        back_url = reverse("benefit_households:inspect", args=(household.pk,))
        form = PreferenceForm(request.POST or None,
                              initial=PreferenceForm.initial_for(selectors.preference_of(household=household)))
        if request.method == "POST" and form.is_valid():
            try:
                services.contact_preference_save(actor=request.user, household=household, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                for name, errors in exc.field_errors.items():
                    if name in form.fields:
                        form.add_error(name, errors)
            else:
                messages.success(request, gettext("通知方式已保存"))
                return redirect(back_url)
        return TemplateResponse(request, "core/admin/action_form.html", {
            "title": gettext("修改通知方式"), "subtitle": str(household), "form": form, "back_url": back_url,
            "summary": gettext("按本人意愿登记：未经本人同意不得发送短信。家庭联系电话：%(phone)s") % {
                "phone": household.phone or "—"},
        })


@hooks.register("register_admin_viewset")
def register_notifications_admin():
    return NotificationsAdmin()
