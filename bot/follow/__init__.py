"""Follow alerts: which followed stories gained coverage, what is new in them, exactly-once
delivery through an alert log (framework-free: the Telegram layer sends and schedules)."""
