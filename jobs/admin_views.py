"""Admin page: a seeker's match list with a 推荐 (refer) button per vacancy."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from jobs import selectors, services
from reemployment.core.errors import DomainError
from reemployment.idcard import mask_name


def seeker_matches(request, pk: int):
    seeker = get_object_or_404(selectors.seekers_for(request.user), pk=pk)
    if request.method == "POST":
        vacancy = selectors.vacancies_for(request.user).filter(pk=request.POST.get("vacancy")).first()
        if vacancy is None:
            raise Http404("vacancy not in your jurisdiction")
        reasons = next((m["reasons"] for m in selectors.matches_for_seeker(seeker, selectors.MAX_K)
                        if m["vacancy"] == vacancy.pk), [])
        try:
            services.referral_create(actor=request.user, seeker=seeker, vacancy=vacancy, reasons=reasons)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已推荐：%(title)s") % {"title": vacancy.title})
        return redirect("jobs_admin_seeker_matches", pk=seeker.pk)
    context = {
        "seeker": seeker,
        "member_name": mask_name(seeker.member.name),
        **selectors.seeker_matches(seeker, 20),
        "referrals": list(seeker.referrals.select_related("vacancy__employer").order_by("-referred_on", "-id")),
        "header_title": "匹配岗位",
    }
    return TemplateResponse(request, "jobs/admin/seeker_matches.html", context)




def obliged_unregistered(request):
    """Members obliged to register as job seekers who have not (应登记未登记), in the jurisdiction."""
    if not request.user.has_perm("jobs.view_jobseeker"):
        raise Http404("not available for your role")
    rows = selectors.obliged_unregistered(request.user)
    return TemplateResponse(request, "jobs/admin/obliged.html", {"rows": rows, "header_title": "应登记未登记"})
