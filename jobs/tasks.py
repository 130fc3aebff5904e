"""Celery tasks of jobs: thin, idempotent wrappers that take ids (CONVENTIONS.md rule 8)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobs.sync_vacancy_index")
def sync_vacancy_index(vacancy_ids: list[int]) -> dict:
    """Bring the match index in step with these vacancies (open → in, otherwise out). Idempotent."""
    from jobs.matching.pipeline import sync_vacancies

    return sync_vacancies(vacancy_ids)


@shared_task(name="jobs.rebuild_match_index")
def rebuild_match_index() -> dict:
    """Rebuild the whole index from stored vectors (encoding only missing/stale ones)."""
    from jobs.matching.pipeline import rebuild_index

    return rebuild_index()


@shared_task(name="jobs.encode_seeker")
def encode_seeker(seeker_id: int) -> bool:
    """Store the vector of a seeker profile if its text changed; quiet if the seeker is gone."""
    from jobs.matching.pipeline import ensure_vectors, seeker_matching_text
    from jobs.models import JobSeeker

    seeker = JobSeeker.objects.filter(pk=seeker_id).first()
    if seeker is None:
        return False
    return bool(ensure_vectors([seeker], seeker_matching_text))


@shared_task(name="jobs.expire_vacancies")
def expire_vacancies() -> int:
    """Daily: vacancies past their closing date become expired and leave the index."""
    from jobs.services import vacancies_expire

    return vacancies_expire()
