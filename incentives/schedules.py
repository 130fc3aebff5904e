SCHEDULES = {
    "reemployment:end-due-transitions": ("incentives.end_due_transitions", {"minute": "10", "hour": "1"}),
}
