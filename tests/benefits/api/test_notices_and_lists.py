"""Public notices (masked, no ID or income) and the scoped staff API lists."""

import datetime as dt

import pytest

from benefits import selectors, services
from tests.benefits.factories import make_household

D = dt.date(2026, 3, 2)


@pytest.fixture
def noticed(users, urban_household):
    application = services.application_submit(actor=users["community_a1"], household=urban_household,
                                              submitted_on=D)
    verified = {i.pk: i.monthly_amount for i in urban_household.incomes.all()}
    application = services.application_survey(actor=users["community_a1"], application=application, findings="属实",
                                              verified_incomes=verified, on=D)
    application = services.application_appraise(actor=users["community_a1"], application=application,
                                                group=["甲", "乙", "丙"], votes_for=3, votes_against=0, on=D)
    return services.application_post_notice(actor=users["community_a1"], application=application, on=D)


def test_public_notices_are_masked(noticed, urban_household):
    rows = selectors.public_notices(as_of=D)
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "张*山" and row["community"] == "城南社区"
    assert (row["category"], row["monthly_amount"], row["stage"]) == ("C", "220.00", "appraisal")
    text = str(rows)
    assert urban_household.head.id_number not in text and "300" not in text  # no ID, no income
    assert selectors.public_notices(region_code="341125101", as_of=D) == []
    assert selectors.public_notices(as_of=D + dt.timedelta(days=7)) == []  # notice over (03-02 … 03-08)


def test_public_notice_endpoint(client, noticed):
    response = client.get("/api/v1/benefits/notices", {"region": "341125100"})
    assert response.status_code == 200  # anonymous


@pytest.mark.parametrize("path", ["/api/v1/benefits/applications/", "/api/v1/benefits/enrolments/",
                                  "/api/v1/benefits/reviews/"])
def test_staff_lists_are_scoped(client, users, policy, path):
    household = make_household(policy["comm_a1"], members=1)
    application = services.application_submit(actor=users["community_a1"], household=household, submitted_on=D)
    enrolment = services.enrolment_start(actor="system:test", household=make_household(policy["comm_a2"]),
                                         category="C", monthly_amount=1, persons=1, start_date=D,
                                         certificate_number="X-1")
    review = services.review_open(actor="system:test", household=enrolment.household, kind="periodic", reason="x")
    pk = {"applications": application.pk, "enrolments": enrolment.pk, "reviews": review.pk}[path.split("/")[-2]]
    assert client.get(path).status_code in (401, 403)
    client.force_login(users["township_a"])
    assert client.get(path).json()["count"] == 1
    assert client.get(f"{path}{pk}/").status_code == 200
    client.force_login(users["township_b"])
    assert client.get(path).json()["count"] == 0
    assert client.get(f"{path}{pk}/").status_code == 404
