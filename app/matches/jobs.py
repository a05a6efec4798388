"""RQ jobs and schedules of the matches domain. Arguments are ids only (DESIGN.md rule 7)."""

from __future__ import annotations

from app.outbox.schedules import schedule
from app.outbox.tasks import in_app_context


@in_app_context
def render_agreement(agreement_id: int, arrangement_id: int) -> str:
    """One agreement version (job id ``deelkracht-agreement-<id>-v<version>``); idempotent."""
    from app.matches.agreements import render

    return render(agreement_id, arrangement_id)


@schedule("matches.agreements", 60)
def sweep_agreements() -> int:
    """Hand out again what a dead worker or a lost enqueue left behind."""
    from app.matches.agreements import sweep

    return sweep()


@schedule("matches.lifecycle", 3600)
def advance_placements() -> dict:
    """Agreed → active from the start date; → completed after the end date (+ evaluations)."""
    from app.matches.lifecycle import advance

    return advance()
