"""Periodic tasks of notifications (merged by reemployment/schedules.py)."""

SCHEDULES = {
    # Every morning at 08:00 (Asia/Shanghai), when people read their phones: transitions ending within
    # 30 days, courses starting within 3 days.
    "reemployment:notifications-daily-reminders": ("notifications.send_daily_reminders", {"minute": "0", "hour": "8"}),
    # Every ten minutes: queued SMS whose task was lost are sent again.
    "reemployment:notifications-resend-stale-sms": ("notifications.resend_stale_sms", {"minute": "*/10"}),
}
