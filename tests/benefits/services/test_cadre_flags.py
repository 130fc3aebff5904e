"""Cadre close relatives at intake (干部近亲属备案 [R3]): an application or review whose member matches a
registered cadre relative is flagged to the county — on the case and in the county's queue."""

import datetime as dt
from decimal import Decimal

import pytest

from benefits import services
from benefits.integrity.models import CadreRelation
from benefits.integrity.services import cadre_relative_register
from benefits.models import Review, ReviewKind
from reemployment.core.models import AuditEvent
from tests.benefits.factories import make_household

pytestmark = pytest.mark.django_db


def _register(users, member, **fields):
    return cadre_relative_register(actor=users["community_a1"], member=member, cadre_name="李建华",
                                   cadre_post="社区主任", cadre_unit="城南社区居委会",
                                   relation=CadreRelation.PARENT, registered_on=dt.date(2026, 1, 5), **fields)


def _enrol(household, next_review_on=dt.date(2026, 3, 1)):
    return services.enrolment_start(actor="system:test", household=household, category="C",
                                    monthly_amount=Decimal("100.00"), persons=household.members.count(),
                                    start_date=dt.date(2025, 9, 1), certificate_number=f"T-{household.pk}",
                                    next_review_on=next_review_on)


def test_an_application_of_a_registered_relative_is_flagged_at_intake(users, policy):
    # 张大山 is registered as the parent of 社区主任 李建华 (备案, 2026-01-05). He later moves into another
    # household (分户/迁入), which applies: its application is flagged when it is taken.
    old = make_household(policy["comm_a1"])
    registered = old.members.get()
    _register(users, registered)
    new = make_household(policy["comm_a1"], members=2)
    services.member_move(actor=users["community_a1"], member=registered, to_household=new, relation="parent")
    application = services.application_submit(actor=users["community_a1"], household=new, reason="生活困难")
    application.refresh_from_db()
    assert application.cadre_relative is True
    assert application.cadre_relative_note == (
        "干部近亲属：张大山 为 李建华（社区主任，城南社区居委会）的父母，2026-01-05 备案")
    event = AuditEvent.objects.get(action="integrity.cadre_case_flag", object_id=str(application.pk))
    assert event.note == application.cadre_relative_note
    # A household with no registered member is not flagged.
    plain = services.application_submit(actor=users["community_a1"], household=make_household(policy["comm_a1"]))
    plain.refresh_from_db()
    assert (plain.cadre_relative, plain.cadre_relative_note) == (False, "")


def test_reviews_are_flagged_when_opened_one_by_one_and_in_bulk(users, policy):
    flagged = make_household(policy["comm_a1"])
    _register(users, flagged.members.get())
    other = make_household(policy["comm_a1"])
    for household in (flagged, other):
        _enrol(household)
    # periodic reviews, opened in bulk: only the registered relative's is flagged
    assert services.reviews_open_periodic(as_of=dt.date(2026, 3, 2)) == 2
    periodic = {r.household_id: r for r in Review.objects.filter(kind=ReviewKind.PERIODIC)}
    assert periodic[flagged.pk].cadre_relative and not periodic[other.pk].cadre_relative
    assert "李建华" in periodic[flagged.pk].cadre_relative_note
    # a change reported by the household (对象报告变化) is flagged too
    reported = services.review_open(actor="system:test", household=flagged, kind=ReviewKind.CHANGE_REPORT,
                                    reason="家庭成员就业")
    assert reported.cadre_relative


def test_a_registration_after_intake_flags_the_open_case(users, policy):
    household = make_household(policy["comm_a1"])
    application = services.application_submit(actor=users["community_a1"], household=household)
    application.refresh_from_db()
    assert not application.cadre_relative
    _register(users, household.members.get())
    application.refresh_from_db()
    assert application.cadre_relative and "社区主任" in application.cadre_relative_note


def test_the_county_sees_the_flagged_cases_in_its_queue(client, users, policy):
    household = make_household(policy["comm_a1"])
    _register(users, household.members.get())
    application = services.application_submit(actor=users["community_a1"], household=household)
    client.force_login(users["county"])
    page = client.get("/admin/integrity_cadre_cases/")
    assert page.status_code == 200
    text = page.content.decode()
    assert application.number in text and "李建华（社区主任" in text
    # the case page shows the flag as well
    inspect = client.get(f"/admin/benefit_applications/inspect/{application.pk}/").content.decode()
    assert "干部近亲属：张大山 为 李建华" in inspect
    # other counties do not see it; staff below the county have no queue
    client.force_login(users["other_county"])
    assert application.number not in client.get("/admin/integrity_cadre_cases/").content.decode()
    client.force_login(users["township_a"])
    assert client.get("/admin/integrity_cadre_cases/").status_code == 403
