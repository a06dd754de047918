"""Messaging platforms: each adapter only translates between a platform and the engine."""
