"""Celery tasks of department checks: thin wrappers around services, taking ids."""

from celery import shared_task

from benefits.checks.models import DepartmentFile, FileStatus


@shared_task(name="checks.process_department_file")
def process_department_file(file_id: int) -> dict:
    """Validate, match and flag one uploaded file. Exits quietly when already processed."""
    from benefits.checks.services import department_file_process

    department_file = DepartmentFile.objects.filter(pk=file_id).first()
    if department_file is None or department_file.status != FileStatus.PENDING:
        return {"file": file_id, "skipped": True}
    department_file = department_file_process(file_id=file_id)
    return {"file": file_id, "status": department_file.status, "rows": department_file.rows,
            "flags_created": department_file.flags_created, "error_count": department_file.error_count}
