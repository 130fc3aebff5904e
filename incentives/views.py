"""Admin views for work incentives: decide a transition proposal; the public-labour shortfall list."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from incentives import selectors, services
from reemployment.core.errors import DomainError
from reemployment.core.models import today
from reemployment.dates import month_start


def proposal_decide(request, pk: int):
    if not request.user.has_perm("incentives.view_transitionproposal"):
        raise DjangoPermissionDenied
    proposal = get_object_or_404(selectors.proposals_for(request.user), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        note = request.POST.get("note", "").strip()
        try:
            if action == "confirm":
                services.transition_confirm(actor=request.user, proposal=proposal, note=note)
                messages.success(request, _("已确认，待遇转为就业过渡期"))
            elif action == "dismiss":
                services.transition_dismiss(actor=request.user, proposal=proposal, note=note)
                messages.success(request, _("已记录不予适用"))
            else:
                messages.error(request, _("未知操作"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("incentives_proposal_decide", pk=proposal.pk)
    return TemplateResponse(request, "incentives/proposal_decide.html", {"proposal": proposal})


def public_labour_report(request):
    if not request.user.has_perm("incentives.view_publiclabourrecord"):
        raise DjangoPermissionDenied
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01") if request.GET.get("month") else None
    except ValueError:
        month = None
    month = month_start(month or today())
    rows = selectors.public_labour_shortfall_list(request.user, month)
    short = [r for r in rows if not r["met"]]
    return TemplateResponse(request, "incentives/public_labour_report.html",
                            {"month": month, "rows": rows, "short_count": len(short)})
