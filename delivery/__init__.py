"""Outgoing messages (feedback replies, reminders) kept in the database until delivered."""
