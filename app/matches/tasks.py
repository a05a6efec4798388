"""RQ jobs and schedules of the matches domain. Arguments are ids only (DESIGN.md rule 7)."""

from __future__ import annotations

from app.matches.lifecycle import advance
from app.matches.rendering import render, sweep
from app.outbox.tasks import in_app_context


@in_app_context
def render_agreement(agreement_id: int, arrangement_id: int) -> str:
    """One agreement version (job id ``deelkracht-agreement-<id>-v<version>``); idempotent."""

    return render(agreement_id, arrangement_id)


def sweep_agreements() -> int:
    """Hand out again what a dead worker or a lost enqueue left behind."""

    return sweep()


def advance_placements() -> dict:
    """Agreed → active from the start date; → completed after the end date (+ evaluations)."""

    return advance()


#: The schedules of this module: (name, interval in seconds, callable), registered by the
#: domain's ``init_app``.
SCHEDULES = (
    ("matches.agreements", 60, sweep_agreements),
    ("matches.lifecycle", 3600, advance_placements),
)
