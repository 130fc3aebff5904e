"""Periodic tasks of benefits (merged by reemployment/schedules.py)."""

SCHEDULES = {
    # Every night at 01:30 (Asia/Shanghai): open the periodic reviews that have come due.
    "reemployment:benefits-open-periodic-reviews": ("benefits.open_periodic_reviews", {"minute": "30", "hour": "1"}),
}
