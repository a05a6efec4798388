"""Scheduled work of reports: the coordinators' weekly summary (worker.schedules)."""

from __future__ import annotations

from app.reports.summary import WEEK, record_weekly_summaries
from worker.schedules import schedule


@schedule("reports.coordinator_summary", int(WEEK.total_seconds()))
def coordinator_summary() -> int:
    return record_weekly_summaries()
