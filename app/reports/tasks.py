"""Scheduled work of reports: the coordinators' weekly summary (app.outbox.schedules)."""

from __future__ import annotations

from app.reports.summary import WEEK, record_weekly_summaries


def coordinator_summary() -> int:
    return record_weekly_summaries()


#: The schedules of this module: (name, interval in seconds, callable), registered by the
#: domain's ``init_app``.
SCHEDULES = (("reports.coordinator_summary", int(WEEK.total_seconds()), coordinator_summary),)
