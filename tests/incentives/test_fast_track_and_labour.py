"""Fast-track re-entry and public-interest labour (§4 [R4][R2])."""

import datetime as dt
from decimal import Decimal

import pytest

from incentives import selectors, services
from incentives.models import RuleApplication
from reemployment.core.errors import DomainError, PermissionDenied


@pytest.mark.django_db
@pytest.mark.parametrize(
    "job_start, job_end, eligible",
    [
        (dt.date(2026, 1, 15), dt.date(2027, 1, 15), True),  # last day of the 12-month window
        (dt.date(2026, 1, 15), dt.date(2027, 1, 16), False),  # the day after
        (dt.date(2026, 1, 31), dt.date(2027, 1, 31), True),
        (dt.date(2026, 3, 1), dt.date(2026, 5, 1), True),
    ],
)
def test_fast_track_assessment_is_recorded(make_household, users, job_start, job_end, eligible):
    household, _, _ = make_household()
    result = services.fast_track_assess(actor=users["community_a1"], household=household, job_start=job_start,
                                        job_end=job_end)
    assert result["eligible"] is eligible
    record = RuleApplication.objects.get(household=household, rule="fast_track")
    assert record.result["eligible"] is eligible
    assert record.parameters["fast_track_window_months"] == 12
    if eligible:
        assert result["skip_appraisal"] is True and result["notice_days"] == 3


@pytest.mark.django_db
def test_fast_track_names_the_recorded_job_it_follows(make_household, users):
    household, people, _ = make_household(amount="300.00")
    proposal = services.transition_propose(actor="system:hire", member=people[0], job_start=dt.date(2026, 3, 10),
                                           monthly_earnings=Decimal("900.00"), source_type="jobs.hire",
                                           source_id="77", employer_name="炉桥盐化")
    services.transition_confirm(actor=users["county"], proposal=proposal)
    result = services.fast_track_assess(actor=users["community_a1"], household=household,
                                        job_start=dt.date(2026, 3, 10), job_end=dt.date(2026, 8, 31))
    assert result["eligible"] is True and result["transition_proposal"] == proposal.pk
    record = RuleApplication.objects.get(pk=result["rule_application"])
    assert record.inputs["transition_proposal"] == proposal.pk
    assert any("炉桥盐化" in line for line in record.explanation)
    # A date that matches no recorded job is still assessed, and says so.
    other = services.fast_track_assess(actor=users["community_a1"], household=household,
                                       job_start=dt.date(2026, 2, 1), job_end=dt.date(2026, 8, 31))
    assert other["transition_proposal"] is None
    assert any("未找到" in line for line in RuleApplication.objects.get(pk=other["rule_application"]).explanation)


@pytest.mark.django_db
def test_public_labour_shortfall(make_household, users):
    _household, people, _ = make_household(members=2)
    month = dt.date(2026, 10, 1)
    services.public_labour_record(actor=users["community_a1"], member=people[0], month=month, kind="patrol",
                                  hours=Decimal(6))
    services.public_labour_record(actor=users["community_a1"], member=people[0], month=month, kind="cleaning",
                                  hours=Decimal(4))
    services.public_labour_record(actor=users["community_a1"], member=people[1], month=month, kind="cleaning",
                                  hours=Decimal(16))
    rows = {r["member"].pk: r for r in selectors.public_labour_shortfall_list(users["county"], month)}
    # 6 + 4 = 10 hours of the required 16: 6 short. The other member did exactly 16: met.
    assert rows[people[0].pk]["hours"] == Decimal("10.0") and rows[people[0].pk]["shortfall"] == Decimal(6)
    assert rows[people[1].pk]["met"] is True and rows[people[1].pk]["shortfall"] == Decimal(0)
    # Another township's staff see none of them.
    assert selectors.public_labour_shortfall_list(users["township_b"], month) == []


@pytest.mark.django_db
def test_public_labour_input_checks(make_household, users):
    _, people, _ = make_household()
    with pytest.raises(DomainError):
        services.public_labour_record(actor=users["community_a1"], member=people[0], month=dt.date(2026, 10, 2),
                                      kind="patrol", hours=Decimal(2))
    with pytest.raises(DomainError):
        services.public_labour_record(actor=users["community_a1"], member=people[0], month=dt.date(2026, 10, 1),
                                      kind="patrol", hours=Decimal(-1))
    with pytest.raises(PermissionDenied):
        services.public_labour_record(actor=users["community_b1"], member=people[0], month=dt.date(2026, 10, 1),
                                      kind="patrol", hours=Decimal(2))


@pytest.mark.django_db
def test_if_you_take_this_job_preview(make_household):
    household, _, _ = make_household(amount="300.00")
    preview = selectors.transition_preview(household, Decimal("1200.00"), dt.date(2026, 3, 10))
    assert preview["monthly_amount"] == Decimal("150.00") and preview["months"] == 6
    assert preview["until"] == dt.date(2026, 9, 30)
