"""The training-wish survey (培训意愿调查) is of registered job seekers ([R4])."""

import datetime as dt

import pytest
from django.utils import translation

from jobs.models import SeekerStatus
from reemployment.core.errors import DomainError
from tests.training.factories import register_seeker
from training import services
from training.models import TrainingWish


def _wish(member, kind="sewing"):
    return TrainingWish(member=member, course_type=kind, survey_round="2026", surveyed_on=dt.date(2026, 2, 1))


def test_a_member_without_a_registration_cannot_answer(users, member_a):
    with pytest.raises(DomainError, match="求职登记"):
        services.training_wish_save(actor=users["community_a1"], wish=_wish(member_a))
    with translation.override("en"), pytest.raises(DomainError, match="registered job seekers"):
        services.training_wish_save(actor=users["community_a1"], wish=_wish(member_a))
    assert not TrainingWish.objects.exists()


@pytest.mark.parametrize(("status", "allowed"), [
    (SeekerStatus.ACTIVE, True),  # 求职中
    (SeekerStatus.PLACED, True),  # 已就业: still registered, may want further training
    (SeekerStatus.WITHDRAWN, False),  # 已注销: no longer a registered job seeker
])
def test_registration_status_decides(users, member_a, status, allowed):
    register_seeker(member_a, status=status)
    if allowed:
        wish = services.training_wish_save(actor=users["community_a1"], wish=_wish(member_a))
        assert wish.pk and wish.region == member_a.household.region
    else:
        with pytest.raises(DomainError, match="求职登记"):
            services.training_wish_save(actor=users["community_a1"], wish=_wish(member_a))


def test_editing_needs_a_registration_too(users, member_a):
    seeker = register_seeker(member_a)
    wish = services.training_wish_save(actor=users["community_a1"], wish=_wish(member_a))
    seeker.status = SeekerStatus.WITHDRAWN
    seeker.save(update_fields=["status"])
    wish.course_type = "catering"
    with pytest.raises(DomainError, match="求职登记"):
        services.training_wish_save(actor=users["community_a1"], wish=wish)
