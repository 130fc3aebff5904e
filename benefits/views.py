"""The recipient's own pages (本人查询): status, amount history, payments, next review; report a change.

Only a recipient login linked to a household (``Household.account``) sees anything here, and only its
own household: anonymous users are sent to the login page, any other login gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from benefits import selectors, services
from benefits.forms import ChangeReportForm
from reemployment.core.errors import DomainError


def _own_household(request):
    household = selectors.household_of(request.user)
    if household is None:
        raise Http404("no household for this login")
    return household


@login_required
def benefit_home(request):
    household = _own_household(request)
    context = selectors.recipient_overview(household)
    return render(request, "benefits/me_benefit.html", context)


@login_required
def change_report(request):
    household = _own_household(request)
    form = ChangeReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_report(actor=request.user, household=household, kind=form.cleaned_data["kind"],
                                   details=form.cleaned_data["details"],
                                   new_monthly_earnings=form.cleaned_data["new_monthly_earnings"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已收到您报告的变化，社区（村）工作人员将与您联系核实。"))
            return redirect("benefits:me")
    return render(request, "benefits/me_report.html", {"form": form, "household": household})
