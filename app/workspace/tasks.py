"""Scheduled work of the HR workspace: the daily retention run."""

from app.workspace.retention import EVERY_SECONDS, retention

#: (name, interval in seconds, callable), registered by the workspace's ``init_app``.
SCHEDULES = (("workspace.retention", EVERY_SECONDS, retention),)
