"""Admin actions: moving a member (人户分离), suspending/resuming/ending an enrolment, uploads on the
objection and enrolment steps, the member form without a date of death, the post-entry follow-up queue."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benefits import services
from benefits.models import (
    Attachment,
    EnrolmentEvent,
    EnrolmentEventKind,
    EnrolmentStatus,
    Household,
    Member,
    Relation,
    ReviewKind,
)
from tests.benefits.factories import make_household

D = dt.date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"


# --- 迁至其他家庭 (member_move) ---------------------------------------------------------------------


def test_moving_a_member_to_a_new_household_flags_the_carve_out(client, users, policy):
    family = make_household(policy["comm_a1"], members=3)
    member = family.members.exclude(relation=Relation.HEAD).first()
    client.force_login(users["community_a1"])
    inspect = client.get(reverse("benefit_members:inspect", args=(member.pk,)))
    url = reverse("benefit_members:action", args=(member.pk, "move"))
    assert url in inspect.content.decode()  # the 迁至其他家庭 button
    response = client.post(url, {"new_household": "on", "relation": Relation.HEAD})
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    alone = member.household
    assert alone != family and alone.region == family.region
    assert (member.previous_household, member.relation) == (family, Relation.HEAD)
    assert [f["code"] for f in alone.flags] == ["carve_out"]  # one person out of a family that keeps two
    assert family.number in alone.flags[0]["note"]


def test_moving_a_member_to_an_existing_household_by_number(client, users, policy):
    family = make_household(policy["comm_a1"], members=2)
    other = make_household(policy["comm_a1"], members=2)
    member = family.members.exclude(relation=Relation.HEAD).first()
    client.force_login(users["township_a"])
    response = client.post(reverse("benefit_members:action", args=(member.pk, "move")),
                           {"to_household": other.number, "relation": Relation.CHILD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.household == other and Household.objects.get(pk=other.pk).flags == []


def test_moving_a_member_outside_the_jurisdiction_is_refused(client, users, policy):
    family = make_household(policy["comm_a1"], members=2)
    elsewhere = make_household(policy["comm_b1"], members=1)  # another township
    member = family.members.exclude(relation=Relation.HEAD).first()
    url = reverse("benefit_members:action", args=(member.pk, "move"))
    client.force_login(users["community_a1"])
    response = client.post(url, {"to_household": elsewhere.number, "relation": Relation.CHILD})
    assert response.status_code == 200
    assert "辖区内没有户编号" in str(response.context["form"].non_field_errors())
    response = client.post(url, {"to_household": "", "relation": Relation.CHILD})  # neither number nor new
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Member.objects.get(pk=member.pk).household == family
    client.force_login(users["community_b1"])  # the member itself is outside this user's jurisdiction
    assert client.get(url).status_code == 404


# --- enrolment: 暂停发放 / 恢复发放 / 停保 -----------------------------------------------------------------


@pytest.fixture
def enrolment(users, policy):
    household = make_household(policy["comm_a1"], members=1)
    return services.enrolment_start(actor="system:test", household=household, category="C",
                                    monthly_amount=Decimal("260.00"), persons=1, start_date=D,
                                    certificate_number="城保-ADM1")


def _action(enrolment, name):
    return reverse("benefit_enrolments:action", args=(enrolment.pk, name))


def test_county_suspends_resumes_and_ends_an_enrolment(client, users, enrolment):
    client.force_login(users["county"])
    inspect = client.get(reverse("benefit_enrolments:inspect", args=(enrolment.pk,))).content.decode()
    assert _action(enrolment, "suspend") in inspect and _action(enrolment, "resume") not in inspect
    response = client.post(_action(enrolment, "suspend"), {"reason": "  ", "effective_on": "2026-04-01"})
    assert response.status_code == 200  # a reason is required
    response = client.post(_action(enrolment, "suspend"), {"reason": "外出失联，待核实", "effective_on": "2026-04-01"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.SUSPENDED
    inspect = client.get(reverse("benefit_enrolments:inspect", args=(enrolment.pk,))).content.decode()
    assert _action(enrolment, "resume") in inspect and _action(enrolment, "suspend") not in inspect
    response = client.post(_action(enrolment, "resume"), {"reason": "已联系上，情况属实", "effective_on": "2026-05-01"})
    assert response.status_code == 302
    response = client.post(_action(enrolment, "end"), {"reason": "本人申请退出", "effective_on": "2026-06-01"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == (EnrolmentStatus.ENDED, dt.date(2026, 6, 1))
    events = [(e.kind, e.effective_on, e.reason) for e in EnrolmentEvent.objects.filter(enrolment=enrolment)
              .exclude(kind=EnrolmentEventKind.ENTRY).order_by("id")]
    assert events == [(EnrolmentEventKind.SUSPENSION, dt.date(2026, 4, 1), "外出失联，待核实"),
                      (EnrolmentEventKind.RESUMPTION, dt.date(2026, 5, 1), "已联系上，情况属实"),
                      (EnrolmentEventKind.EXIT, dt.date(2026, 6, 1), "本人申请退出")]


def test_township_staff_cannot_suspend_or_end(client, users, enrolment):
    client.force_login(users["township_a"])
    inspect = client.get(reverse("benefit_enrolments:inspect", args=(enrolment.pk,))).content.decode()
    assert "/do/" not in inspect  # no buttons
    for name in ("suspend", "end"):
        # No benefits.change_enrolment: refused before the form (or the service) is reached.
        response = client.post(_action(enrolment, name), {"reason": "试图停发", "effective_on": "2026-04-01"})
        assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    client.force_login(users["other_county"])
    assert client.get(_action(enrolment, "suspend")).status_code == 404


def test_resume_is_refused_for_an_enrolment_that_is_not_suspended(users, enrolment):
    from reemployment.core.errors import Conflict

    with pytest.raises(Conflict):
        services.enrolment_resume(actor=users["county"], enrolment=enrolment, reason="x")


# --- uploads on the objection step ---------------------------------------------------------------------


def test_objection_form_keeps_the_uploaded_file(client, users, urban_household):
    # the notice runs from today (the admin's date) for 7 days
    application = services.application_submit(actor=users["community_a1"], household=urban_household)
    verified = {item.pk: item.monthly_amount for item in urban_household.incomes.all()}
    application = services.application_survey(actor=users["community_a1"], application=application,
                                              findings="属实", verified_incomes=verified)
    application = services.application_appraise(actor=users["community_a1"], application=application,
                                                group=["甲", "乙", "丙"], votes_for=3, votes_against=0)
    application = services.application_post_notice(actor=users["community_a1"], application=application)
    client.force_login(users["community_a1"])
    inspect = client.get(reverse("benefit_applications:inspect", args=(application.pk,))).content.decode()
    url = reverse("benefit_applications:action", args=(application.pk, "objection"))
    assert url in inspect
    response = client.post(url, {"text": "该户有车", "raised_by": "", "expected_step": "notice",
                                 "attachment": SimpleUploadedFile("照片.pdf", PDF)})
    assert response.status_code == 302, response.context["form"].errors
    attachment = Attachment.objects.get(application=application)
    assert (attachment.original_name, attachment.event.action) == ("照片.pdf", "objection")
    # while the objection is open, the only step button left is 处理异议
    inspect = client.get(reverse("benefit_applications:inspect", args=(application.pk,))).content.decode()
    assert reverse("benefit_applications:action", args=(application.pk, "resolve")) in inspect


# --- the member form ----------------------------------------------------------------------------------


def test_member_form_has_no_date_of_death(client, users, urban_household):
    member = urban_household.members.first()
    client.force_login(users["community_a1"])
    response = client.get(reverse("benefit_members:edit", args=(member.pk,)))
    assert response.status_code == 200
    assert "died_on" not in response.context["form"].fields
    data = {"id_number": member.id_number, "name": member.name, "sex": member.sex,
            "birth_date": member.birth_date.isoformat(), "relation": member.relation, "hukou_area": "urban",
            "disability_grade": 0, "work_ability": "full", "student_status": "none", "died_on": "2026-03-01"}
    response = client.post(reverse("benefit_members:edit", args=(member.pk,)), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.died_on is None  # a death goes through the death report


# --- 纳入后跟踪 ------------------------------------------------------------------------------------------


def test_post_entry_queue_lists_the_jurisdiction_oldest_entry_first(client, users, policy,
                                                                   django_assert_max_num_queries):
    households = {}
    for key, region, start in (("later", "comm_a1", dt.date(2026, 2, 1)), ("earlier", "comm_a2", dt.date(2025, 12, 1)),
                               ("elsewhere", "comm_b1", dt.date(2025, 11, 1))):
        household = make_household(policy[region], members=1)
        enrolment = services.enrolment_start(actor="system:test", household=household, category="C",
                                             monthly_amount=Decimal("10.00"), persons=1, start_date=start,
                                             certificate_number=f"Q-{household.pk}")
        services.review_open(actor="system:test", household=household, kind=ReviewKind.POST_ENTRY, reason="回访",
                             enrolment=enrolment)
        households[key] = household
    url = reverse("benefit_post_entry:index")
    client.force_login(users["township_a"])
    # A constant number, whatever the rows: 13 since the portal's site setting (门户设置) added its
    # menu item, whose visibility reads the site permissions once per admin page.
    with django_assert_max_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    assert [row["household"] for row in response.context["rows"]] == [households["earlier"], households["later"]]
    content = response.content.decode()
    assert "纳入后跟踪" in content and households["elsewhere"].number not in content
    client.force_login(users["county"])
    rows = client.get(url).context["rows"]
    assert [row["household"] for row in rows] == [households["elsewhere"], households["earlier"],
                                                  households["later"]]
    client.force_login(users["editor"])  # no access to reviews
    assert client.get(url).status_code == 403
