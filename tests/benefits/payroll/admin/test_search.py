"""Payment lines and overpayments are searchable by a member's name or ID number, each record once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.payroll.models import Overpayment
from benefits.payroll.services import overpayment_create, payroll_run_compute
from tests.benefits.payroll.conftest import MAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(regions, county_households):
    run = payroll_run_compute(actor="system:test", county=regions["county"], month=MAY).run
    return {key: run.payment_lines.get(enrolment=enrolment) for key, enrolment in county_households.items()
            if key != "other"}


def _found(client, users, viewset, query):
    client.force_login(users["county"])
    response = client.get(reverse(f"{viewset}:index"), {"q": query})
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_payment_lines_by_id_number_and_name(client, users, lines, county_households):
    household = county_households["a2"].household  # three members
    member = household.members.order_by("id").last()
    assert _found(client, users, "payroll_lines", member.id_number) == [lines["a2"]]
    assert _found(client, users, "payroll_lines", member.id_number.lower()) == [lines["a2"]]  # case-insensitive
    assert _found(client, users, "payroll_lines", member.name) == [lines["a2"]]
    # "张" is in every member's name: each line is listed once, not once per matching member
    assert sorted(line.pk for line in _found(client, users, "payroll_lines", "张")) == sorted(
        line.pk for line in lines.values())


def test_overpayments_by_id_number_stay_in_the_jurisdiction(client, users, lines, county_households):
    line = lines["a1"]
    claim = overpayment_create(actor="system:test", household=line.household, amount=Decimal("100.00"),
                               reason="other", payment_line=line, source_type="test", source_id="1")
    head = line.household.members.order_by("id").first()
    assert _found(client, users, "payroll_overpayments", head.id_number) == [claim]
    other = county_households["other"].household.members.get()
    Overpayment.objects.create(household=other.household, amount=Decimal("5.00"), reason="other")
    assert _found(client, users, "payroll_overpayments", other.id_number) == []
