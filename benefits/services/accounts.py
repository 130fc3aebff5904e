"""Recipient logins (对象账号) and the changes a recipient reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benefits.models import (
    Household,
    Review,
    ReviewKind,
)
from benefits.services._common import CASEWORK_ROLES, HOUSEHOLD
from benefits.services.reviews import review_open
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, User, today
from reemployment.core.permissions import require
from reemployment.core.roles import assign_role_group
from reemployment.money import round_yuan

ACCOUNT_ROLES = CASEWORK_ROLES


def _check_password(password: str, user=None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(_("密码不符合要求：%(problems)s") % {"problems": " ".join(exc.messages)},
                          field_errors={"password": exc.messages}) from exc


@transaction.atomic
def recipient_account_create(*, actor, household: Household, password: str):
    """Create the household's recipient login: username = the head's ID number, initial password set by staff."""
    household = Household.objects.select_for_update(of=("self",)).select_related("region").get(pk=household.pk)
    require(actor, household.region, ACCOUNT_ROLES, what=HOUSEHOLD)
    head = household.head
    if head is None:
        raise DomainError(_("家庭没有登记户主"), code="no_head")
    if household.account_id:
        raise Conflict(_("该家庭已有登录账号"), code="account_exists")
    if User.objects.filter(username=head.id_number).exists():
        raise Conflict(_("该身份证号已有账号"), code="account_exists")
    user = User(username=head.id_number, role=Role.RECIPIENT, display_name=head.name)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    assign_role_group(user)
    household.account = user
    household.save(update_fields=["account"])
    audit.record(actor=actor, action="recipient.account_create", obj=household, region=household.region,
                 after={"account": user.pk})
    return user


@transaction.atomic
def recipient_password_reset(*, actor, household: Household, password: str):
    """Community (or higher) staff reset a recipient's password."""
    household = Household.objects.select_for_update(of=("self",)).select_related("region", "account").get(pk=household.pk)
    require(actor, household.region, ACCOUNT_ROLES, what=HOUSEHOLD)
    if household.account is None:
        raise DomainError(_("该家庭还没有登录账号"), code="no_account")
    _check_password(password, household.account)
    household.account.set_password(password)
    household.account.save(update_fields=["password"])
    audit.record(actor=actor, action="recipient.password_reset", obj=household, region=household.region)
    return household.account


@transaction.atomic
def change_report(*, actor, household: Household, kind: str, details: str,
                  new_monthly_earnings: Decimal | None = None):
    """A recipient reports a change (报告变化) → a CHANGE_REPORT review for the caseworker."""
    if getattr(actor, "household", None) is None or actor.household.pk != household.pk:
        raise PermissionDenied(_("只能报告本户的变化"))
    text = f"[{kind}] {details}".strip()
    if new_monthly_earnings is not None:
        text += f"（新月收入 {round_yuan(new_monthly_earnings)} 元）"
    review = review_open(actor=actor, household=household, kind=ReviewKind.CHANGE_REPORT, reason=text[:300],
                         due_on=today() + dt.timedelta(days=15), source_type="change_report",
                         source_id=f"{actor.pk}:{timezone.now():%Y%m%d%H%M%S%f}")
    Review.objects.filter(pk=review.pk).update(reported_by=actor, findings=text)
    return review



