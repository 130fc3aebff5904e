"""Periodic tasks of jobs (merged by reemployment.schedules)."""

SCHEDULES = {
    "reemployment:jobs-expire-vacancies": ("jobs.expire_vacancies", {"minute": "5", "hour": "0"}),
    "reemployment:jobs-rebuild-match-index": ("jobs.rebuild_match_index", {"minute": "30", "hour": "3"}),
}
