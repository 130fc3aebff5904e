"""Staff admin of benefits: every view scoped (in 200, out 404, anonymous to login), step actions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from benefits import services
from benefits.models import Application, ApplicationStep, Asset, Household, Review
from tests.benefits.factories import make_household, make_member

D = dt.date(2026, 3, 2)


@pytest.fixture
def records(users, urban_household):
    application = services.application_submit(actor=users["community_a1"], household=urban_household,
                                              submitted_on=D)
    other = services.household_save(actor=users["community_a1"], instance=Household(region=urban_household.region))
    make_member(other)
    enrolment = services.enrolment_start(actor="system:test", household=other, category="C",
                                         monthly_amount=Decimal("50.00"), persons=1, start_date=D,
                                         certificate_number="城保-T1")
    review = services.review_open(actor="system:test", household=other, kind="periodic", reason="定期复核")
    return {
        "benefit_households": urban_household,
        "benefit_members": urban_household.members.first(),
        "benefit_incomes": urban_household.incomes.first(),
        "benefit_assets": services.asset_save(actor=users["community_a1"], instance=Asset(
            household=urban_household, kind="deposit", value=Decimal("1000.00"))),
        "benefit_applications": application,
        "benefit_enrolments": enrolment,
        "benefit_reviews": review,
    }


VIEWSETS = ["benefit_households", "benefit_members", "benefit_incomes", "benefit_assets", "benefit_applications",
            "benefit_enrolments", "benefit_reviews"]


@pytest.mark.parametrize("viewset", VIEWSETS)
def test_index_and_inspect_are_scoped(client, users, records, viewset):
    obj = records[viewset]
    index = reverse(f"{viewset}:index")
    inspect = reverse(f"{viewset}:inspect", args=(obj.pk,))
    assert client.get(index).status_code == 302  # anonymous → login
    client.force_login(users["community_a1"])
    response = client.get(index)
    assert response.status_code == 200
    assert obj in list(response.context["object_list"])
    assert client.get(inspect).status_code == 200
    client.force_login(users["community_b1"])
    response = client.get(index)
    assert response.status_code == 200 and obj not in list(response.context["object_list"])
    assert client.get(inspect).status_code == 404


@pytest.mark.parametrize("viewset", ["benefit_households", "benefit_members", "benefit_incomes", "benefit_assets"])
def test_edit_is_scoped(client, users, records, viewset):
    url = reverse(f"{viewset}:edit", args=(records[viewset].pk,))
    client.force_login(users["township_a"])
    assert client.get(url).status_code == 200
    client.force_login(users["township_b"])
    assert client.get(url).status_code == 404


def test_search_by_id_number(client, users, records):
    household = records["benefit_households"]
    client.force_login(users["county"])
    response = client.get(reverse("benefit_households:index"), {"q": household.head.id_number})
    assert list(response.context["object_list"]) == [household]


def test_a_search_matching_several_members_lists_the_household_once(client, users, records):
    household = records["benefit_households"]  # 张大山 and 张小一: both match "张"
    client.force_login(users["county"])
    response = client.get(reverse("benefit_households:index"), {"q": "张"})
    listed = list(response.context["object_list"])
    assert listed.count(household) == 1


def test_household_edit_goes_through_the_service(client, users, records):
    household = records["benefit_households"]
    client.force_login(users["community_a1"])
    response = client.post(reverse("benefit_households:edit", args=(household.pk,)), {
        "region": household.region.pk, "address": "城南路 8 号", "phone": "", "bank_account": "",
        "bank_name": ""})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.address == "城南路 8 号"
    from reemployment.core.models import AuditEvent
    assert AuditEvent.objects.filter(action="household.update", object_id=str(household.pk)).exists()


def test_action_views_are_scoped(client, users, records):
    application = records["benefit_applications"]
    url = reverse("benefit_applications:action", args=(application.pk, "survey"))
    assert client.get(url).status_code == 302
    client.force_login(users["community_b1"])
    assert client.get(url).status_code == 404
    client.force_login(users["community_a1"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("benefit_applications:action", args=(application.pk, "nonsense"))).status_code == 404


def test_survey_from_the_admin_advances_and_a_stale_form_is_refused(client, users, records):
    application = records["benefit_applications"]
    item = records["benefit_incomes"]
    url = reverse("benefit_applications:action", args=(application.pk, "survey"))
    client.force_login(users["community_a1"])
    form = {"expected_step": "submitted", "findings": "入户核实", f"income_{item.pk}": "300.00"}
    response = client.post(url, form)
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).step == ApplicationStep.SURVEYED
    response = client.post(url, form)  # the same form again: the step has moved on
    assert response.status_code == 200
    assert "已由他人办理" in str(response.context["form"].non_field_errors())


def test_wrong_role_sees_no_button_and_is_refused(client, users, records):
    application = records["benefit_applications"]
    client.force_login(users["township_a"])
    inspect = client.get(reverse("benefit_applications:inspect", args=(application.pk,)))
    assert "do/survey" not in inspect.content.decode()
    response = client.post(reverse("benefit_applications:action", args=(application.pk, "survey")),
                           {"expected_step": "submitted", "findings": "x",
                            f"income_{records['benefit_incomes'].pk}": "300.00"})
    assert response.status_code == 200 and "社区" in str(response.context["form"].non_field_errors())


def test_household_actions_submit_and_add_member(client, users, policy):
    household = services.household_save(actor=users["community_a1"], instance=Household(region=policy["comm_a1"]))
    client.force_login(users["community_a1"])
    from reemployment.idcard import make_id_number

    response = client.post(reverse("benefit_households:action", args=(household.pk, "add_member")), {
        "id_number": make_id_number("341125", dt.date(1960, 1, 2), 11), "name": "孙老汉", "sex": "M",
        "birth_date": "1960-01-02", "relation": "head", "hukou_area": "urban", "disability_grade": 0,
        "work_ability": "none", "student_status": "none"})
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(reverse("benefit_households:action", args=(household.pk, "submit")),
                           {"reason": "年老无收入"})
    assert response.status_code == 302
    assert household.applications.get().step == ApplicationStep.SUBMITTED


def test_review_decide_from_the_admin(client, users, records):
    review = records["benefit_reviews"]
    url = reverse("benefit_reviews:action", args=(review.pk, "decide"))
    client.force_login(users["township_b"])
    assert client.get(url).status_code == 404
    client.force_login(users["county"])
    response = client.post(url, {"outcome": "keep", "findings": "情况未变"})
    assert response.status_code == 302, response.context["form"].errors
    assert Review.objects.get(pk=review.pk).status == "decided"


@pytest.mark.parametrize("viewset", VIEWSETS)
def test_list_queries_do_not_grow_with_rows(client, users, records, viewset, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["county"])
    url = reverse(f"{viewset}:index")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        household = make_household(users["community_a1"].region, members=2, incomes=[(0, "wages", "100.00")])
        services.application_submit(actor=users["community_a1"], household=household, submitted_on=D)
        enrolment = services.enrolment_start(actor="system:test", household=household, category="C",
                                             monthly_amount=Decimal("1.00"), persons=2, start_date=D,
                                             certificate_number=f"城保-Q{household.pk}")
        services.review_open(actor="system:test", household=household, kind="periodic", reason="x",
                             enrolment=enrolment)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_attachments_are_private_and_read_through_a_scoped_view(client, users, records, private_files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = records["benefit_applications"]
    attachment = services.attachment_add(actor=users["community_a1"], application=application,
                                         upload=SimpleUploadedFile("身份证.pdf", b"%PDF-1.4 test"))
    assert str(private_files) in attachment.file.path  # outside MEDIA_ROOT
    url = reverse("benefit_applications:attachment", args=(application.pk, attachment.pk))
    assert client.get(url).status_code == 302
    client.force_login(users["community_b1"])
    assert client.get(url).status_code == 404
    client.force_login(users["township_a"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    inspect = client.get(reverse("benefit_applications:inspect", args=(application.pk,)))
    assert url in inspect.content.decode()


def test_household_add_through_the_service(client, users, policy):
    client.force_login(users["community_a1"])
    url = reverse("benefit_households:add")
    form = {"address": "城南路 1 号", "phone": "", "bank_account": "", "bank_name": ""}
    response = client.post(url, {**form, "region": policy["comm_b1"].pk})  # not in the user's community
    assert response.status_code == 200 and not Household.objects.filter(address="城南路 1 号").exists()
    response = client.post(url, {**form, "region": policy["comm_a1"].pk})
    assert response.status_code == 302
    household = Household.objects.get(address="城南路 1 号")
    assert household.area == "urban" and household.number.startswith("341125100001")


def test_member_edit_refused_by_the_service_shows_the_error(client, users, records):
    member = records["benefit_members"]
    client.force_login(users["community_a1"])
    data = {"id_number": member.id_number, "name": member.name, "sex": "F" if member.sex == "M" else "M",
            "birth_date": member.birth_date.isoformat(), "relation": member.relation, "hukou_area": "urban",
            "disability_grade": 0, "work_ability": "full", "student_status": "none"}
    response = client.post(reverse("benefit_members:edit", args=(member.pk,)), data)
    assert response.status_code == 200  # sex disagrees with the ID number: refused, form shown again
    member.refresh_from_db()
    assert member.sex != data["sex"]
