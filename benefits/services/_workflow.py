"""Steps shared by the application workflow (申请审批): the role check, locking, moving, events and
attachments. The transition table is ``APPLICATION_ACTIONS`` in models.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from benefits.models import (
    APPLICATION_ACTIONS,
    Application,
    ApplicationAction,
    ApplicationEvent,
    Attachment,
    Household,
)
from benefits.selectors import application_plan, application_sources
from benefits.services._common import CASEWORK_ROLES, HOUSEHOLD
from reemployment.core import audit
from reemployment.core.errors import Conflict, DomainError, PermissionDenied
from reemployment.core.models import Role
from reemployment.core.notify import notify
from reemployment.core.permissions import actor_user, is_system, require
from reemployment.core.scoping import in_jurisdiction
from reemployment.core.selectors import parameters_in_force

ALLOWED_ATTACHMENT_TYPES = {
    # extension → (content type, leading bytes that a genuine file starts with)
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _workflow_params(household: Household, on: dt.date):
    return parameters_in_force(household.region, on)


def _require_step_role(actor, application, action: str) -> None:
    """Each step is done by the staff role(s) ``APPLICATION_ACTIONS`` names, inside the household's
    jurisdiction (no exceptions, not even for the system administrator: separation of duties)."""
    roles = APPLICATION_ACTIONS[action].roles
    if is_system(actor) or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("须由工作人员办理"))
    if actor.role not in roles:
        labels = "或".join(str(Role(role).label) for role in sorted(roles))
        raise PermissionDenied(_("该环节须由%(labels)s办理") % {"labels": labels},
                               code="wrong_role")
    if not in_jurisdiction(actor, application.household.region):
        raise PermissionDenied(_("该申请不在您的辖区"),
                               code="not_in_jurisdiction")


def _lock_application(application, expected_step: str | None):
    expected = expected_step or application.step
    locked = Application.objects.select_for_update(of=("self",)).select_related("household__region").get(pk=application.pk)
    if locked.step != expected:
        raise Conflict(
            _("该申请已由他人办理，当前环节为“%(step)s”，请刷新") % {"step": locked.get_step_display()}, code="stale_step")
    return locked


def _check_move(application, action: str, on: dt.date) -> str:
    """The move is allowed from the application's step by its stage plan, no objection is pending, and a
    notice running at the step (the plan's notice steps) is over — except for a decline, which may end the
    application at any open step."""
    target = APPLICATION_ACTIONS[action].target
    plan = application_plan(application)
    if application.step not in application_sources(application, action, on, plan):
        raise Conflict(
            _("当前环节“%(step)s”不能办理“%(action)s”，环节不能跳过") % {
                "step": application.get_step_display(), "action": ApplicationAction(action).label}, code="invalid_step")
    if application.has_open_objection():
        raise Conflict(_("公示异议尚未处理，流程暂停"),
                       code="objection_pending")
    if action != ApplicationAction.DECLINE and plan.notice_stage(application.step) is not None:
        _require_notice_over(application, on)
    return target


def _require_notice_over(application, on: dt.date) -> None:
    if application.notice_end is None or on <= application.notice_end:
        raise Conflict(_("公示期至 %(notice_end)s 结束，期满后方可办理") % {
            "notice_end": application.notice_end}, code="notice_running")


def _start_notice(application, on: dt.date, days: int) -> dict:
    """Start a notice on ``on`` for ``days`` days, both ends included (7 days from 03-02: 03-02 … 03-08)."""
    application.notice_start = on
    application.notice_end = on + dt.timedelta(days=days - 1)
    return {"notice_start": application.notice_start, "notice_end": application.notice_end, "days": days}


def _step_event(application, *, action, actor, step_before, findings="", data=None):
    event = ApplicationEvent.objects.create(
        application=application, action=action, step_before=step_before, step_after=application.step,
        findings=findings, data=audit.jsonable(data) if data is not None else None, actor=actor_user(actor),
        actor_label=getattr(actor, "username", str(actor)),
    )
    notify("application.step", key=f"application-event:{event.pk}", application=application, action=action)
    return event


def _advance(application, *, action, actor, before_step, findings="", data=None, attachments=()):
    application.save()
    event = _step_event(application, action=action, actor=actor, step_before=before_step, findings=findings,
                        data=data)
    for upload in attachments:
        attachment_add(actor=actor, application=application, upload=upload, event=event)
    audit.record(actor=actor, action=f"application.{action}", obj=application, region=application.household.region,
                 before={"step": before_step}, after={"step": application.step, **(data or {})}, note=findings)
    return application


@transaction.atomic
def attachment_add(*, actor, application, upload, event=None):
    """Attach a file to an application (or one of its steps). Size ≤ settings.MAX_ATTACHMENT_BYTES and
    only PDF, JPEG, PNG — the extension and the file's first bytes must agree."""

    if not isinstance(actor, str):
        require(actor, application.household.region, CASEWORK_ROLES, what=HOUSEHOLD)
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None) or 0
    if size > settings.MAX_ATTACHMENT_BYTES:
        raise DomainError(_("附件不能超过 %(megabytes)s MB") % {
            "megabytes": settings.MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                          field_errors={"file": [_("文件过大")]})
    if size == 0:
        raise DomainError(_("附件为空"), field_errors={"file": [_("空文件")]})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        raise DomainError(_("附件只能是 PDF、JPG 或 PNG"),
                          field_errors={"file": [_("类型不允许")]})
    content_type, magics = ALLOWED_ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise DomainError(_("文件内容与扩展名不符"),
                          field_errors={"file": [_("内容与类型不符")]})
    safe_name = "".join(ch for ch in name.rsplit("/", 1)[-1] if ch.isalnum() or ch in "._-")[-100:] or f"file.{extension}"
    attachment = Attachment(application=application, event=event, original_name=name[:200],
                            content_type=content_type, size=size, uploaded_by=actor_user(actor))
    attachment.file.save(safe_name, upload, save=False)
    attachment.save()
    audit.record(actor=actor, action="application.attachment", obj=application, region=application.household.region,
                 after={"attachment": attachment.pk, "name": attachment.original_name, "size": size})
    return attachment



