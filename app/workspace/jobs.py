"""Scheduled work of the HR workspace: the daily retention run (imported for its @schedule)."""

from app.workspace import retention  # noqa: F401
