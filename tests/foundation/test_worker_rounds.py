"""A sweeper round's two halves fail independently."""

from app.outbox import delivery, schedules
from worker.runner import sweep_once


def test_a_failing_outbox_sweep_does_not_stop_the_schedules(app, monkeypatch):
    """When the outbox sweep raises, the round still runs the due schedules."""
    ran = []

    def broken_sweep():
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(delivery, "sweep", broken_sweep)
    monkeypatch.setitem(
        schedules.SCHEDULES, "test.round_probe", (3600, lambda: ran.append("probe"))
    )
    sweep_once(app)
    assert ran == ["probe"]
