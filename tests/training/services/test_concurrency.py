"""Concurrent sign-ups on PostgreSQL: the row lock and the constraints hold under real races."""

import threading

import pytest
from django.db import connection

from reemployment.core.errors import Conflict
from tests.training.factories import CourseFactory, HouseholdFactory, MemberFactory
from training import services
from training.models import Course, TrainingEnrolment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def run(fn):
        try:
            barrier.wait()
            fn()
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_last_places_go_to_exactly_capacity_trainees(users, regions):
    course = CourseFactory(region=regions["county"], capacity=3)
    members = [MemberFactory(household=HouseholdFactory(region=regions["comm_a1"])) for _ in range(8)]
    outcomes = _race([lambda m=m: services.enrolment_create(actor=users["labour"], course=course, member=m)
                      for m in members])
    assert outcomes == ["conflict"] * 5 + ["ok"] * 3
    course.refresh_from_db()
    assert course.enrolled_count == 3 == TrainingEnrolment.objects.filter(course=course).count()


def test_simultaneous_double_sign_up_makes_one_place(users, regions):
    course = CourseFactory(region=regions["county"], capacity=10)
    member = MemberFactory(household=HouseholdFactory(region=regions["comm_a1"]))
    outcomes = _race([lambda: services.enrolment_create(actor=users["labour"], course=course, member=member)] * 4)
    assert outcomes == ["conflict"] * 3 + ["ok"]
    assert Course.objects.get(pk=course.pk).enrolled_count == 1
