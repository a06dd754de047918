"""Officials' accounts for the dashboard: roles, password hashes, lockout."""
