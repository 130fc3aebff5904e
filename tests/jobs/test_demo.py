"""jobs.demo.seed: works with no households and with some, bounded, idempotent."""

import io

import pytest

from jobs import demo
from jobs.matching.index import get_store
from jobs.models import Employer, JobSeeker, Vacancy
from tests.jobs.factories import make_household, make_member

pytestmark = pytest.mark.django_db


def test_seed_without_households_then_with_and_again(regions, encoder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = demo.seed(io.StringIO())
    assert result["vacancies"] == len(demo.VACANCIES) >= 40 and result["seekers"] == 0
    assert Employer.objects.count() == len(demo.EMPLOYERS) >= 12
    assert get_store().snapshot().size == Vacancy.objects.count()

    household = make_household(regions["comm_a1"])
    obliged = make_member(household, sex="M", age=30, name="张强")
    make_member(household, sex="M", age=60, name="张老")
    # rural: not obliged under the default jobseeker_obligation_areas (urban) [R4 城市低保]
    make_member(make_household(regions["comm_b1"]), sex="M", age=30, name="李村")
    with django_capture_on_commit_callbacks(execute=True):
        result = demo.seed(io.StringIO())
    assert result == {"vacancies": 0, "seekers": 1, "indexed": Vacancy.objects.count()}
    seeker = JobSeeker.objects.get()
    assert seeker.member == obliged and seeker.vector is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.seed(io.StringIO())["seekers"] == 0
    assert Vacancy.objects.count() == len(demo.VACANCIES)
