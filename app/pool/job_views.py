"""Placeholder until the pages exist."""

from app.pool.views import bp  # noqa: F401
