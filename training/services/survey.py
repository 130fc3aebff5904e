"""The training-wish survey of registered job seekers ([R4])."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobs.selectors import registered_seeker_member_ids
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role, today
from reemployment.core.permissions import is_system
from reemployment.core.scoping import in_jurisdiction
from training.models import (
    TrainingWish,
)
from training.services._common import _full_clean, _is_admin, _member_region

# --- survey --------------------------------------------------------------------------------------

@transaction.atomic
def training_wish_save(*, actor, wish: TrainingWish) -> TrainingWish:
    """Record (or edit) a survey answer of a registered job seeker (求职登记, not cancelled); the
    region is the member's community at recording time."""
    member = wish.member
    if getattr(actor, "role", None) == Role.RECIPIENT:
        if member.household.account_id != actor.pk:
            raise PermissionDenied(_("只能填写本户成员的培训意愿"))
    elif not (is_system(actor) or _is_admin(actor)) and not in_jurisdiction(actor, _member_region(member)):
        raise PermissionDenied(_("该人员不在您的辖区"))
    # The survey is of registered job seekers ([R4]); a cancelled registration (已注销) does not count.
    if member.pk not in registered_seeker_member_ids([member.pk]):
        raise DomainError(_("只有已办理求职登记的人员才能登记培训意愿，请先办理求职登记"),
                          field_errors={"member": [_("未办理求职登记")]})
    wish.region = _member_region(member)
    if not wish.surveyed_on:
        wish.surveyed_on = today()
    if not wish.survey_round:
        wish.survey_round = str(wish.surveyed_on.year)
    if wish.recorded_by_id is None and not is_system(actor):
        wish.recorded_by = actor
    _full_clean(wish)
    before = audit.snapshot(TrainingWish.objects.get(pk=wish.pk)) if wish.pk else None
    try:
        with transaction.atomic():
            wish.save()
    except IntegrityError as exc:
        raise Conflict(_("该成员本批次已登记此培训意愿")) from exc
    audit.record(actor=actor, action="training.wish.update" if before else "training.wish.create", obj=wish,
                 region=wish.region, before=before, after=audit.snapshot(wish))
    return wish
