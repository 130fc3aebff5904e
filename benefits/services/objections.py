"""Objections during a notice period (公示异议): raising and resolving them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from benefits.models import (
    APPLICATION_ACTIONS,
    ApplicationAction,
    Objection,
    ObjectionStatus,
)
from benefits.selectors import application_sources
from benefits.services._common import CASEWORK_ROLES, HOUSEHOLD
from benefits.services._workflow import _lock_application, _step_event, attachment_add
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import today
from reemployment.core.permissions import actor_user, is_system, require


def _require_objection_role(actor, application, action: str) -> None:
    """Staff of the roles ``APPLICATION_ACTIONS`` names for ``action``, inside the jurisdiction. A string
    actor (``"system:…"``/``"public:…"``) may raise an objection — one received by letter or the portal —
    but never resolve it."""
    if is_system(actor) and actor is not None and action == ApplicationAction.OBJECTION:
        return
    roles = APPLICATION_ACTIONS[action].roles
    if is_system(actor) or actor.role not in roles:
        raise PermissionDenied(_("须由经办工作人员办理公示异议"),
                               code="wrong_role")
    require(actor, application.household.region, CASEWORK_ROLES, what=HOUSEHOLD)


@transaction.atomic
def objection_raise(*, actor, application, text: str, raised_by: str = "", on: dt.date | None = None,
                    attachments=()):
    """Record an objection (公示异议) during a notice period — any stage's notice the application's stages
    have, from its first to its last day (``notice_end``) inclusive: the flow pauses until it is resolved."""
    on = on or today()
    application = _lock_application(application, None)
    _require_objection_role(actor, application, ApplicationAction.OBJECTION)
    if application.step not in application_sources(application, ApplicationAction.OBJECTION, on):
        raise Conflict(_("只有公示期间可以提出异议"),
                       code="not_in_notice")
    if application.notice_end is None or on > application.notice_end:
        raise Conflict(_("公示期已于 %(notice_end)s 结束，不再受理异议") % {
            "notice_end": application.notice_end}, code="notice_over")
    if application.notice_start is not None and on < application.notice_start:
        raise Conflict(_("公示期自 %(notice_start)s 开始") % {
            "notice_start": application.notice_start}, code="not_in_notice")
    if not text.strip():
        raise DomainError(_("请填写异议内容"), field_errors={"text": [_("必填")]})
    objection = Objection.objects.create(application=application, raised_on=on, raised_by=raised_by, text=text)
    event = _step_event(application, action=ApplicationAction.OBJECTION, actor=actor,
                        step_before=application.step, findings=text, data={"objection": objection.pk})
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload, event=event)
    audit.record(actor=actor, action="application.objection", obj=application, region=application.household.region,
                 after={"objection": objection.pk}, note=text)
    return objection


@transaction.atomic
def objection_resolve(*, actor, objection, upheld: bool, resolution: str, on: dt.date | None = None,
                      attachments=()):
    """Resolve an objection after checking it. Dismissed: the flow resumes where it was. Upheld: the
    application goes where ``APPLICATION_ACTIONS`` sends it (back to a new home survey; the notice and
    any approval lapse)."""
    on = on or today()
    objection = Objection.objects.select_for_update(of=("self",)).select_related("application__household__region").get(
        pk=objection.pk)
    application = _lock_application(objection.application, None)
    _require_objection_role(actor, application, ApplicationAction.OBJECTION_RESOLVED)
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict(_("该异议已处理"), code="already_resolved")
    if not resolution.strip():
        raise DomainError(_("请填写处理结果"), field_errors={"resolution": [_("必填")]})
    transition = APPLICATION_ACTIONS[ApplicationAction.OBJECTION_RESOLVED]
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution, objection.resolved_by, objection.resolved_on = resolution, actor_user(actor), on
    objection.save()
    before_step = application.step
    target = transition.upheld_target if upheld else transition.target
    if target is not None:
        application.step = target
        application.notice_start = application.notice_end = None
        application.save()
    event = _step_event(application, action=ApplicationAction.OBJECTION_RESOLVED, actor=actor,
                        step_before=before_step, findings=resolution, data={"objection": objection.pk,
                                                                            "upheld": upheld})
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload, event=event)
    audit.record(actor=actor, action="application.objection_resolve", obj=application,
                 region=application.household.region, before={"step": before_step},
                 after={"step": application.step, "objection": objection.pk, "upheld": upheld}, note=resolution)
    return objection



