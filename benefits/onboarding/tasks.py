"""Celery tasks of county onboarding: thin wrappers around the services, taking ids.

With ``CELERY_BROKER_URL`` unset they run in-process when queued (the embedded default); with a broker a
worker runs them and the admin's progress bar follows the import record.
"""

from celery import shared_task

from benefits.onboarding.models import CaseloadImport, ImportStatus


@shared_task(name="onboarding.check_caseload_import")
def check_caseload_import(import_id: int) -> dict:
    """The preview: check the stored file and record counts, discrepancies and errors. Quiet when done."""
    from benefits.onboarding.services import caseload_import_preview

    record = CaseloadImport.objects.filter(pk=import_id).first()
    if record is None or record.status != ImportStatus.PENDING:
        return {"import": import_id, "skipped": True}
    record = caseload_import_preview(import_id=import_id)
    return {"import": import_id, "status": record.status, "households": record.households,
            "error_count": record.error_count}


@shared_task(name="onboarding.run_caseload_import")
def run_caseload_import(import_id: int) -> dict:
    """The confirmed import: everything or nothing. Quiet when already run."""
    from benefits.onboarding.services import caseload_import_run

    record = CaseloadImport.objects.filter(pk=import_id).first()
    if record is None or record.status not in (ImportStatus.PENDING, ImportStatus.QUEUED):
        return {"import": import_id, "skipped": True}
    record = caseload_import_run(import_id=import_id)
    return {"import": import_id, "status": record.status, "created": record.created, "updated": record.updated,
            "discrepancies": record.discrepancy_count, "error_count": record.error_count}
