"""python manage.py apply_standard_change (提标调整): preview changes nothing, apply is idempotent.

Policy (tests/benefits/conftest.py ``policy``): urban 150 in 2025, 260 from 2026-01-01. One urban A
household (one 三无 person, no income) enrolled in 2025 at 150 × 1 = 150.00 → 260 × 1 = 260.00.
"""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from benefits.models import Enrolment, EnrolmentEvent, EnrolmentEventKind, EnrolmentStatus
from tests.benefits.factories import make_household


@pytest.fixture
def enrolment(policy):
    household = make_household(policy["comm_a1"], members=1)
    household.members.update(three_no=True, work_ability="none")
    return Enrolment.objects.create(household=household, area="urban", category="A", monthly_amount=Decimal("150.00"),
                                    persons=1, start_date=dt.date(2025, 6, 1), certificate_number="DB-CMD-1",
                                    status=EnrolmentStatus.ACTIVE)


def run(*args) -> str:
    out = StringIO()
    call_command("apply_standard_change", *args, stdout=out)
    return out.getvalue()


def test_preview_json_changes_nothing(enrolment):
    report = json.loads(run("--county", "341125", "--month", "2026-01", "--preview", "--format", "json"))
    assert report["applied"] is False
    assert report["households_changed"] == 1
    assert (report["total_before"], report["total_after"]) == ("150.00", "260.00")
    assert report["changes"][0]["after"] == "260.00"
    enrolment.refresh_from_db()
    assert enrolment.monthly_amount == Decimal("150.00")


def test_apply_text_then_second_run_changes_nothing(enrolment):
    text = run("--county", "341125", "--month", "2026-01")
    assert "提标调整（已执行）" in text
    assert "调整前 150.00 元，调整后 260.00 元" in text
    enrolment.refresh_from_db()
    assert enrolment.monthly_amount == Decimal("260.00")
    again = json.loads(run("--county", "341125", "--month", "2026-01", "--format", "json"))
    assert again["households_changed"] == 0
    assert EnrolmentEvent.objects.filter(kind=EnrolmentEventKind.REPRICING).count() == 1


def test_unknown_county_and_bad_month(policy):
    with pytest.raises(CommandError):
        run("--county", "999999", "--month", "2026-01")
    with pytest.raises(CommandError):
        run("--county", "341125", "--month", "2026-13")


@pytest.mark.django_db(transaction=True)
def test_preview_outside_any_transaction_audits_the_read(enrolment):
    """As on the command line (no test transaction around it): the preview records its read in its
    own transaction instead of failing ("audit.record must be called inside transaction.atomic")."""
    from reemployment.core.models import AuditEvent

    report = json.loads(run("--county", "341125", "--month", "2026-01", "--preview", "--format", "json"))
    assert report["households_changed"] == 1
    assert AuditEvent.objects.filter(action="enrolment.reprice_preview").count() == 1
