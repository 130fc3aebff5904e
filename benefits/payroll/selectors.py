"""Reads of the payroll, scoped to the reader's jurisdiction where a user is involved."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Case, CharField, Count, OuterRef, QuerySet, Subquery, Sum, Value, When

from benefits.models import Household, Member, Relation
from benefits.payroll.models import Overpayment, PaymentLine, PayrollRun, RunStatus
from benefits.payroll.services import parse_month
from reemployment.core.models import Region
from reemployment.core.scoping import scope_model


class LineStatus:
    """What a payment line means to the recipient: paid once its month is locked."""

    PENDING = "pending"  # 待发放
    PAID = "paid"  # 已发放


LINE_STATUS_LABELS = {LineStatus.PENDING: "待发放", LineStatus.PAID: "已发放"}


def runs_for(user) -> QuerySet:
    return scope_model(PayrollRun.objects.select_related("county"), user)


def lines_for(user) -> QuerySet:
    return scope_model(PaymentLine.objects.select_related("run__county", "household", "region"), user)


def overpayments_for(user) -> QuerySet:
    return scope_model(Overpayment.objects.select_related("household__region", "decided_by"), user)


def payments_for_household(household: Household) -> list[dict]:
    """The household's payment lines, newest month first: month, amount, status ("paid" once the
    month is locked, else "pending") and its label. For the recipient page: the caller has already
    decided that the reader may see this household."""
    rows = (
        PaymentLine.objects.filter(household=household)
        .annotate(status=Case(When(run__status=RunStatus.LOCKED, then=Value(LineStatus.PAID)),
                              default=Value(LineStatus.PENDING), output_field=CharField()))
        .order_by("-month", "-id")
        .values("month", "amount", "status", "persons", "category")
    )
    return [{**row, "status_label": LINE_STATUS_LABELS[row["status"]]} for row in rows]


def paid_totals(county_region: Region, month_from, month_to) -> list[dict]:
    """Money paid (locked months only) per month in the region's subtree, with SQL aggregates:
    ``[{"month": date, "lines": n, "households": n, "persons": n, "amount": Decimal}, ...]``."""
    first, last = parse_month(month_from), parse_month(month_to)
    rows = (
        PaymentLine.objects.filter(region__path__startswith=county_region.path, month__gte=first, month__lte=last,
                                   run__status=RunStatus.LOCKED)
        .values("month")
        .annotate(lines=Count("id"), households=Count("household", distinct=True), persons=Sum("persons"),
                  amount=Sum("amount"))
        .order_by("month")
    )
    return [{**row, "amount": row["amount"] or Decimal("0.00")} for row in rows]


BANK_FILE_HEADER = ["户编号", "户主姓名", "身份证号码", "银行账号", "开户银行", "金额(元)"]


def bank_file_rows(run: PayrollRun, chunk_size: int = 5000) -> Iterator[tuple]:
    """The bank file's rows (household number, head name, ID number, account, bank, amount), in
    household-number order, streamed from the database in chunks."""
    head = Member.objects.filter(household=OuterRef("household"), relation=Relation.HEAD).order_by("id")
    queryset = (
        PaymentLine.objects.filter(run=run)
        .annotate(head_name=Subquery(head.values("name")[:1]), head_id=Subquery(head.values("id_number")[:1]))
        .order_by("household__number")
        .values_list("household__number", "head_name", "head_id", "bank_account", "bank_name", "amount")
    )
    yield from queryset.iterator(chunk_size=chunk_size)

