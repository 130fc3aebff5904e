"""Periodic tasks of training (merged by reemployment.schedules)."""

SCHEDULES = {
    # After midnight (Asia/Shanghai): finalise courses whose placement window closed yesterday.
    "reemployment:training-assess-due-courses": ("training.assess_due_courses", {"minute": "20", "hour": "1"}),
}
