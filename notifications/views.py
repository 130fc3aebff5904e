"""The inbox on /me/ (我的消息) and how the person wants to be told (通知方式).

Any login has an inbox: a recipient reads its household's messages, a staff user their own. Reading
a page of the inbox does not mark anything read: the person marks a message (or all) read, so an
unread message stays unread until it has really been seen.
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
from reemployment.core.models import Role


@login_required
def inbox(request):
    notifications = selectors.inbox_for(request.user)
    page = Paginator(notifications, 20).get_page(request.GET.get("p"))
    return render(request, "notifications/inbox.html", {"page_obj": page, "notifications": page.object_list})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preference(request):
    recipient = request.user.role == Role.RECIPIENT
    household = household_of(request.user) if recipient else None
    if recipient and household is None:
        raise Http404("no household for this login")
    target = {"household": household} if household is not None else {"user": request.user}
    current = selectors.preference_of(**target)
    form = PreferenceForm(request.POST or None, initial=PreferenceForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_preference_save(actor=request.user, **target, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            for name, errors in exc.field_errors.items():
                if name in form.fields:
                    form.add_error(name, errors)
        else:
            messages.success(request, _("通知方式已保存"))
            return redirect("notifications:inbox")
    return render(request, "notifications/preference.html", {
        "form": form, "household_phone": household.phone if household is not None else ""})
