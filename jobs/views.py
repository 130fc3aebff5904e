"""Recipient self-service (/me/jobs/): register or update a job-seeker profile for a member of
one's own household, see matched vacancies with reasons, and one's referrals and outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils.translation import gettext as _

from jobs import hooks, selectors, services
from jobs.forms import SeekerProfileForm
from jobs.models import JobSeeker
from jobs.rules import jobseeker_obligation
from reemployment.core.errors import DomainError
from reemployment.core.models import today
from reemployment.core.selectors import parameters_in_force
from reemployment.idcard import mask_name


def _base_template():
    # The portal's base.html when it exists, else our own minimal one.
    return select_template(["base.html", "jobs/base_jobs.html"])


def _render(request, template, context, status=200):
    context = {"base_template": _base_template(), **context}
    return render(request, template, context, status=status)


def _household_or_404(request):
    household = selectors.recipient_household(request.user)
    if household is None:
        raise Http404(_("本页面仅供已关联家庭的低保对象/申请人使用"))
    return household


@login_required
def home(request):
    household = _household_or_404(request)
    county = household.region.county() or household.region
    params = parameters_in_force(county, today())
    seekers = {s.member_id: s for s in selectors.seekers_for(request.user)}
    members = []
    for member in household.members.filter(died_on__isnull=True, left_on__isnull=True).order_by("id"):
        obligation = jobseeker_obligation(member.birth_date, member.sex, member.work_ability == "full", today(), params,
                                          area=household.area)
        members.append({"member": member, "name": mask_name(member.name), "obligation": obligation,
                        "seeker": seekers.get(member.pk)})
    referrals = list(selectors.referrals_for(request.user).order_by("-referred_on", "-id")[:50])
    return _render(request, "jobs/me_home.html", {"household": household, "members": members, "referrals": referrals})


@login_required
def profile(request, member_id: int):
    household = _household_or_404(request)
    member = get_object_or_404(household.members.all(), pk=member_id)
    seeker = JobSeeker.objects.filter(member=member).first()
    county = household.region.county()
    if request.method == "POST":
        form = SeekerProfileForm(request.POST, county=county)
        if form.is_valid():
            try:
                if seeker is None:
                    seeker = services.seeker_register(actor=request.user, member=member,
                                                      preferred_townships=form.cleaned_data["preferred_townships"],
                                                      **form.profile())
                else:
                    for key, value in form.profile().items():
                        setattr(seeker, key, value)
                    seeker = services.seeker_save(actor=request.user, instance=seeker,
                                                  preferred_townships=form.cleaned_data["preferred_townships"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("求职登记已保存。"))
                return redirect("jobs:matches", seeker_id=seeker.pk)
    else:
        form = SeekerProfileForm(initial=SeekerProfileForm.initial_from(seeker) if seeker else None, county=county)
    return _render(request, "jobs/me_profile.html", {"form": form, "member_name": mask_name(member.name),
                                                     "seeker": seeker,
                                                     "training_certificates": selectors.training_certificates(member)})


@login_required
def matches(request, seeker_id: int):
    household = _household_or_404(request)
    seeker = get_object_or_404(selectors.seekers_for(request.user), pk=seeker_id)
    answer = selectors.seeker_matches(seeker, 10)
    results = answer["results"]
    # "If you take this job" (DESIGN.md §4 [R4]): the transition benefit at the post's lowest pay
    # (incentives registers the preview in jobs.hooks).
    for result in results:
        pay = result.get("pay_min")
        result["if_taken"] = hooks.hire_preview(household, pay, today()) if pay is not None else None
    return _render(request, "jobs/me_matches.html", {"seeker": seeker, "member_name": mask_name(seeker.member.name),
                                                     "results": results, "excluded": answer["excluded"]})
