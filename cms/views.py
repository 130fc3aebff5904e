"""HTML views of the portal outside the page tree: the recipient's self-service hub and the login."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.forms import PortalAuthenticationForm
from reemployment.core.models import Role

# The self-service menu (one menu, §1): label, path, description. The target views belong to
# the benefits, jobs and training apps; a link whose view is not installed shows "暂未开通".
ME_MENU = [
    (_("我的低保"), "/me/benefit/", _("保障类别、月保障金、发放记录和审核进度")),
    (_("我的求职"), "/me/jobs/", _("求职登记、为我匹配的岗位和推荐记录")),
    (_("我的培训"), "/me/training/", _("可报名的培训课程和我的培训记录")),
    (_("报告变化"), "/me/benefit/report/", _("家庭人口、收入、就业有变化时及时报告")),
    (_("我的消息"), "/me/notifications/", _("办理进度、发放和待遇变动的通知；短信通知设置")),
]


def _localized(path: str) -> str | None:
    """``path`` in the active language if such a URL exists here, else the path itself if it
    exists, else None (the view is not installed yet)."""
    language = get_language() or settings.LANGUAGE_CODE
    candidates = [path] if language == settings.LANGUAGE_CODE else [f"/{language}{path}", path]
    for candidate in candidates:
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        # The Wagtail catch-all resolves everything; it is not the self-service view.
        if match.url_name == "wagtail_serve":
            continue
        return candidate
    return None


@login_required
def me_hub(request):
    """The recipient's self-service hub (我的): one menu, works on a phone-width screen."""
    items = [
        {"label": label, "url": _localized(path), "description": description}
        for label, path, description in ME_MENU
    ]
    is_staff_user = request.user.role in {r for r in Role if r != Role.RECIPIENT} or request.user.is_superuser
    return render(request, "cms/me.html", {"items": items, "is_staff_user": is_staff_user})


def landing_url_for(user) -> str:
    """Where a user lands after login: recipients on /me/, staff on the admin."""
    if getattr(user, "role", "") == Role.RECIPIENT:
        return "/me/"
    if user.is_superuser or getattr(user, "role", ""):
        return "/admin/"
    return settings.LOGIN_REDIRECT_URL


class PortalLoginView(auth_views.LoginView):
    """Django's LoginView with a role-based landing page when no safe ``next`` is given; an ID number
    is accepted with a lowercase x (``PortalAuthenticationForm``)."""

    template_name = "registration/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return landing_url_for(self.request.user)
