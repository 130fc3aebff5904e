"""Periodic tasks of the payroll (merged by reemployment.schedules)."""

# On the 25th at 02:00 (Asia/Shanghai), compute next month's draft payroll for each county with
# enrolments; county staff review and lock it before payment.
SCHEDULES = {
    "reemployment:payroll-drafts": ("payroll.compute_drafts", {"minute": "0", "hour": "2", "day_of_month": "25"}),
}
