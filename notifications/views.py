"""The recipient's inbox on /me/ (我的消息) and how they want to be told (通知方式).

Like every page under /me/, only a recipient login linked to a household sees anything here, and only
its own household's messages: anonymous users are sent to the login page, any other login gets 404
(staff read their own notifications in the admin, 我的通知, or through /api/v1/me/notifications/).
Reading a page of the inbox does not mark anything read: the person marks a message (or all) read, so
an unread message stays unread until it has really been seen.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benefits.selectors import household_of
from notifications import selectors, services
from notifications.forms import PreferenceForm
from reemployment.core.errors import DomainError


def _own_household(request):
    household = household_of(request.user)
    if household is None:
        raise Http404("no household for this login")
    return household


@login_required
def inbox(request):
    _own_household(request)
    page = Paginator(selectors.inbox_for(request.user), 20).get_page(request.GET.get("p"))
    return render(request, "notifications/inbox.html", {"page_obj": page, "notifications": page.object_list})


@login_required
@require_POST
def mark_read(request, pk: int):
    _own_household(request)
    notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    _own_household(request)
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preference(request):
    household = _own_household(request)
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
            messages.success(request, _("通知方式已保存"))
            return redirect("notifications:inbox")
    return render(request, "notifications/preference.html", {"form": form, "household_phone": household.phone})
