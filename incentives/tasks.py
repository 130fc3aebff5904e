"""Celery tasks for work incentives (thin wrappers around services)."""

import datetime as dt

from celery import shared_task

from benefits.models import Member
from incentives import services


@shared_task(name="incentives.end_due_transitions")
def end_due_transitions() -> int:
    """Daily: end transitions whose period is over and open their reviews (idempotent)."""
    return services.transitions_end_due()


@shared_task(name="incentives.propose_transition_for_hire", bind=True, max_retries=3, default_retry_delay=30)
def propose_transition_for_hire(self, member_id: int, job_start: str, monthly_earnings: str, source_type: str,
                                source_id: str, employer_name: str = "") -> int | None:
    """Raise a transition proposal for a recorded hire (idempotent per source)."""
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        return None
    proposal = services.transition_propose(
        actor="system:hire", member=member, job_start=dt.date.fromisoformat(job_start),
        monthly_earnings=monthly_earnings, source_type=source_type, source_id=source_id,
        employer_name=employer_name,
    )
    return proposal.pk if proposal else None
