"""Pure job-seeker rules (DESIGN.md §3): no Django, no database, no clock."""

from jobs.rules.obligation import Obligation, Refusal, SanctionCheck, jobseeker_obligation, sanction_due

__all__ = ("Obligation", "Refusal", "SanctionCheck", "jobseeker_obligation", "sanction_due")
