"""Export: the county's caseload in the import template, formula-safe, importing back to the same thing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from benefits.models import Enrolment, EnrolmentStatus, Household, IncomeItem, Member
from benefits.onboarding import export, services
from benefits.onboarding.models import ImportStatus
from reemployment.core.models import AuditEvent
from reemployment.core.tables import read_table
from tests.benefits.factories import make_household, make_member
from tests.factories import EnrolmentFactory


class _Rollback(Exception):
    pass


def _caseload(policy):
    """Households made the ordinary way (not by an import): urban with wages and a severe disability,
    rural with a name a spreadsheet would run as a formula, one ended enrolment (not exported) and one
    member who died (not exported)."""
    urban = make_household(policy["comm_a1"], members=3, incomes=[(0, "wages", "300.00"), (1, "pension", "120.50")],
                           phone="13900000000", bank_name="农商银行", bank_account="6230001")
    Member.objects.filter(pk=urban.members.order_by("id")[1].pk).update(disability_grade=2)
    EnrolmentFactory(household=urban, category="B", monthly_amount=Decimal("560.00"), persons=3,
                     start_date=dt.date(2025, 7, 15), certificate_number="城保-1")
    rural = make_household(policy["comm_b1"], members=1)
    Member.objects.filter(household=rural).update(name="=HYPERLINK(1)", three_no=True, work_ability="none")
    dead = make_member(rural, relation="spouse", sex="F", birth_date=dt.date(1972, 1, 1))
    Member.objects.filter(pk=dead.pk).update(died_on=dt.date(2026, 5, 1))
    EnrolmentFactory(household=rural, category="A", monthly_amount=Decimal("120.00"), persons=1,
                     start_date=dt.date(2020, 1, 1), certificate_number="农保-1")
    ended = make_household(policy["comm_b2"], members=2)
    EnrolmentFactory(household=ended, status=EnrolmentStatus.ENDED, end_date=dt.date(2026, 1, 1),
                     certificate_number="农保-2")


def _figures():
    current = Enrolment.objects.exclude(status=EnrolmentStatus.ENDED)
    return {"households": current.count(), "persons": sum(current.values_list("persons", flat=True)),
            "amount": current.aggregate(total=Sum("monthly_amount"))["total"],
            "amounts": sorted(current.values_list("household__number", "category", "monthly_amount")),
            "members": Member.objects.filter(household__enrolments__in=current, died_on__isnull=True).count()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_into_an_empty_database_to_the_same_counts_and_amounts(policy, users, fmt):
    county, user = policy["county"], users["county"]
    with pytest.raises(_Rollback), transaction.atomic():
        _caseload(policy)
        expected = _figures()
        content = services.caseload_export(actor=user, county=county, fmt=fmt)
        raise _Rollback  # the database is empty again (regions, policy and logins stay)
    assert not Household.objects.exists()
    frame, _encoding = read_table(content)
    assert frame.loc[frame["身份证号"] != "", "姓名"].str.startswith("'=").sum() == 1  # formula-safe
    assert expected["households"] == 2 and expected["members"] == 4
    record = services.import_caseload(actor=user, county=county, name=f"export.{fmt}", content=content)
    assert record.status == ImportStatus.DONE, record.errors
    assert (record.households, record.persons) == (2, 4)
    assert _figures() == expected
    assert Member.objects.get(name="=HYPERLINK(1)").three_no  # the apostrophe the export added is gone
    assert Member.objects.filter(disability_grade=2).count() == 1
    assert sorted(IncomeItem.objects.values_list("kind", "monthly_amount")) == [
        ("pension", Decimal("120.50")), ("wages", Decimal("300.00"))]
    # Exporting the imported caseload and importing it again changes nothing.
    again = services.import_caseload(actor=user, county=county, name="again.csv",
                                     content=services.caseload_export(actor=user, county=county, fmt="csv"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_export_of_the_same_database_is_unchanged_on_import(policy, users):
    _caseload(policy)
    county, user = policy["county"], users["county"]
    content = services.caseload_export(actor=user, county=county, fmt="csv")
    record = services.import_caseload(actor=user, county=county, name="same.csv", content=content)
    assert (record.created, record.updated, record.unchanged) == (0, 0, 2), record.errors
    assert AuditEvent.objects.filter(action="onboarding.export").count() == 1


def test_the_template_is_a_valid_file_of_the_demo_county(policy, users):
    for fmt in export.FORMATS:
        outcome = services.caseload_check(actor=users["county"], county=policy["county"],
                                          content=export.template_file(fmt), name=f"template.{fmt}")
        assert outcome.errors == [] and (outcome.households, outcome.persons) == (2, 4)


def test_export_command_writes_csv_to_standard_output_and_xlsx_to_a_file(policy, users, tmp_path, capsys):
    _caseload(policy)
    call_command("export_caseload", "--county", "341125")
    text = capsys.readouterr().out
    assert text.startswith("\ufeff户主身份证号,身份证号,姓名,与户主关系,社区村代码,保障类别,月保障金额,享受起始月,月收入")
    assert text.count("\n") == 1 + 4
    call_command("export_caseload", "--county", "341125", "--format", "xlsx", "--output", str(tmp_path / "c.xlsx"))
    frame, encoding = read_table((tmp_path / "c.xlsx").read_bytes())
    assert encoding == "xlsx" and len(frame) == 4
