"""Placeholder until the endpoints exist."""

from app.pool.api import blp  # noqa: F401
