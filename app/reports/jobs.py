"""Scheduled work of reports: the coordinators' weekly summary (app.outbox.schedules)."""

from __future__ import annotations

from app.outbox.schedules import schedule
from app.reports.summary import WEEK, record_weekly_summaries


@schedule("reports.coordinator_summary", int(WEEK.total_seconds()))
def coordinator_summary() -> int:
    return record_weekly_summaries()
