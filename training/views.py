"""Recipient self-service (/me/training/): my household's training, open courses, sign-up,
withdrawal and training wishes. Every change calls a service with the recipient as actor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benefits.models import Household
from jobs.selectors import registered_seeker_member_ids
from reemployment.core.errors import DomainError
from reemployment.core.models import Role, today
from training import selectors, services
from training.models import Course, CourseType, TrainingEnrolment, TrainingWish


def _household(request):
    if getattr(request.user, "role", None) != Role.RECIPIENT:
        return None
    return Household.objects.filter(account=request.user).select_related("region").first()


def _no_household(request):
    return render(request, "training/no_household.html", status=403)


@login_required
def my_training(request):
    household = _household(request)
    if household is None:
        return _no_household(request)

    data = selectors.household_training(request.user)
    courses = selectors.open_courses(region_code=household.region.code)
    # The training-wish survey is of registered job seekers: only they are offered in its form.
    seekers = registered_seeker_member_ids([member for member, _ in data["members"]])
    return render(request, "training/my_training.html", {
        "household": household,
        "members": data["members"],
        "wish_members": [member for member, _ in data["members"] if member.pk in seekers],
        "courses": courses,
        "course_types": CourseType.choices,
        "survey_round": str(today().year),
    })


def _back(request, message=None, error=None):
    if message:
        messages.success(request, message)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("training:my_training"))


def _own_member(household, raw_id):
    try:
        return household.members.get(pk=int(raw_id))
    except (ValueError, TypeError, household.members.model.DoesNotExist):
        raise Http404("not a member of your household") from None


@login_required
@require_POST
def enrol(request):
    household = _household(request)
    if household is None:
        return _no_household(request)
    member = _own_member(household, request.POST.get("member"))
    course = Course.objects.filter(pk=request.POST.get("course") or 0).first()
    if course is None:
        raise Http404("no such course")
    try:
        services.enrolment_create(actor=request.user, course=course, member=member)
    except DomainError as exc:
        return _back(request, error=exc.message)
    return _back(request, message=_("已为 %(member)s 报名“%(course)s”。") % {"member": member, "course": course.title})


@login_required
@require_POST
def withdraw(request, pk: int):
    household = _household(request)
    if household is None:
        return _no_household(request)
    enrolment = TrainingEnrolment.objects.filter(pk=pk, member__household=household).first()
    if enrolment is None:
        raise Http404("not your household's enrolment")
    try:
        services.enrolment_withdraw(actor=request.user, enrolment=enrolment, reason="本人网上退出")
    except DomainError as exc:
        return _back(request, error=exc.message)
    return _back(request, message=_("已退出报名。"))


@login_required
@require_POST
def wish(request):
    household = _household(request)
    if household is None:
        return _no_household(request)
    member = _own_member(household, request.POST.get("member"))
    course_type = request.POST.get("course_type", "")
    if course_type not in CourseType.values:
        return _back(request, error=_("请选择培训类别。"))
    try:
        services.training_wish_save(actor=request.user, wish=TrainingWish(
            member=member, course_type=course_type, survey_round=str(today().year), surveyed_on=today()))
    except DomainError as exc:
        return _back(request, error=exc.message)
    return _back(request, message=_("已登记培训意愿。"))
