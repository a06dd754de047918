"""Plan tasks: extraction from ingested plans, schedules, queries, reminders."""
