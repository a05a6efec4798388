"""Demo matches for `deelkracht demo`: in every arrangement one match in each state, through the
real operations, so that every page has something to show:

- proposed, waiting for the employee (from a response);
- proposed, approved by the employee and the lending side, waiting for the borrowing side since
  ten days (the start page's "Jouw besluit is nodig" and "Voorstellen die lang wachten");
- proposed, approved by the employee only, waiting for both organisations;
- agreed or running from a response (which is then "matched");
- agreed (from a capacity offer; starts later), active (started), completed (with an
  evaluation) and ended early — each with its agreement, rendered after the demo's commit;
- declined by the employee, withdrawn by the coordinator.

A completed placement lies in the past, which no proposal may (check_period): the demo moves
an active placement's dates back before its agreement is rendered.

Idempotent: nothing is added in an arrangement that has matches.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, select

from app import policy
from app.extensions import db
from app.matches import decisions, lifecycle, operations, proposals
from app.matches.models import Match
from app.pool.jobs.operations import today
from app.pool.models import Application, CapacityOffer, Job
from tenants.models import utcnow


def _people(users_by_email: dict, role: str) -> list:
    return sorted(
        (u for email, u in users_by_email.items() if email.startswith(f"{role}@")),
        key=lambda u: u.organisation_id,
    )


def _of(people: list, organisation_id: int):
    return next((p for p in people if p.organisation_id == organisation_id), None)


def _jobs(organisation_id: int, *, started: bool | None = None, not_for=None) -> Job | None:
    """An arrangement-wide open job of this organisation that has (or has not) started, and
    (``not_for``) that this person has no match for yet."""
    on = today()
    conditions = [
        Job.organisation_id == organisation_id,
        Job.visibility == "arrangement",
        Job.status == "open",
        Job.type.in_(("klus", "detachering")),  # the demo's placements are secondments
        Job.expires_on >= on + timedelta(days=14),
    ]
    if started is not None:
        conditions.append(Job.start_date <= on if started else Job.start_date > on)
    if not_for is not None:
        conditions.append(
            Job.id.not_in(select(Match.job_id).where(Match.employee_id == not_for.id))
        )
    return db.session.scalar(select(Job).where(*conditions).order_by(Job.id.desc()).limit(1))


def demo_matches(arrangement, users_by_email) -> None:
    if not inspect(db.session.connection()).has_table(Match.__tablename__):
        return
    if db.session.scalar(select(Match.id).limit(1)) is not None:
        return
    coordinator = users_by_email.get(f"coordinator@{arrangement.slug}.example")
    hr, leads = _people(users_by_email, "hr"), _people(users_by_email, "teamleider")
    emps, emps2 = _people(users_by_email, "medewerker"), _people(users_by_email, "medewerker2")
    if coordinator is None or len(hr) < 2:
        return
    x, y = hr[0].organisation_id, hr[1].organisation_id

    def borrowing_for(job: Job):
        lead = _of(leads, job.organisation_id)
        if lead is not None and policy.manages(lead, job.department_id):
            return lead
        return _of(hr, job.organisation_id)

    def approve(match: Match, *parties: str) -> None:
        deciders = {
            "employee": match.employee,
            "lending": _of(hr, match.lending_organisation_id),
            "borrowing": borrowing_for(match.job),
        }
        for party in parties:
            decisions.decide(deciders[party], match, "approve", party=party)

    # From responses: one waits for the employee, one (of another organisation) for the
    # borrowing side since ten days, one for both organisations; and one to a job that started
    # runs (the response is then "matched").
    from_responses = list(
        db.session.scalars(
            select(Application).where(Application.status == "submitted").order_by(Application.id)
        )
    )
    running = next(
        (a for a in from_responses[3:] if a.job.start_date <= today()),
        None,
    )
    for k, application in enumerate([*from_responses[:3], running]):
        if application is None:
            continue
        match = proposals.propose(
            borrowing_for(application.job), {"application_id": application.id}
        )
        if k == 1:
            approve(match, "employee", "lending")
            match.employee_consented_at = utcnow() - timedelta(days=10)
        elif k == 2:
            approve(match, "employee")
        elif k == 3:
            approve(match, "employee", "lending", "borrowing")

    # Agreed, from the first open capacity offer: starts later.
    offer = db.session.scalar(
        select(CapacityOffer)
        .where(CapacityOffer.status == "open", CapacityOffer.organisation_id == x)
        .order_by(CapacityOffer.id)
    )
    job = _jobs(y, started=False, not_for=offer.user if offer is not None else None)
    if offer is not None and job is not None:
        match = proposals.propose(coordinator, {"capacity_id": offer.id, "job_id": job.id})
        approve(match, "employee", "lending", "borrowing")

    # Completed and ended (and active, where no response was to a job that started): direct
    # proposals on jobs that started. A placement fills its job: the next takes another one.
    placed = [None] if running is not None else []
    for employee, organisation_id in (
        *([] if running is not None else [(_of(emps2, y), x)]),
        (_of(leads, x), y),
        (_of(leads, y), x),
    ):
        job = _jobs(organisation_id, started=True, not_for=employee)
        if employee is None or job is None:
            continue
        match = proposals.propose(coordinator, {"job_id": job.id, "employee_id": employee.id})
        approve(match, "employee", "lending", "borrowing")
        placed.append(match)
    if len(placed) == 3:
        _, done, ended = placed
        _in_the_past(done)
        lifecycle.evaluate(
            done.employee,
            done,
            {"rating": 4, "went_well": "Fijn team, duidelijke opdracht.", "again": True},
        )
        lifecycle.end_early(
            _of(hr, ended.lending_organisation_id),
            ended,
            "De medewerker is nodig op de eigen afdeling.",
        )

    # Declined by the employee, withdrawn by the coordinator.
    for employee, outcome in ((_of(emps, x), "decline"), (_of(emps2, x), "withdraw")):
        job = _jobs(y, not_for=employee) if employee is not None else None
        if employee is None or job is None:
            continue
        match = proposals.propose(coordinator, {"job_id": job.id, "employee_id": employee.id})
        if outcome == "decline":
            decisions.decide(employee, match, "decline", reason="Het past nu niet in mijn week.")
        else:
            operations.withdraw(coordinator, match, "De klus is anders ingevuld.")


def _in_the_past(match: Match) -> None:
    """A placement that ran last quarter: its dates (and its agreement's, not rendered yet)
    move back, and it completes as the hourly schedule would have done."""
    end = today() - timedelta(days=7)
    start = end - timedelta(weeks=12)
    match.start_date, match.end_date = start, end
    match.job.start_date = min(match.job.start_date, start)
    agreement = match.latest_agreement()
    if agreement is not None:
        agreement.terms = {
            **agreement.terms,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
        }
    match.status = "completed"
    match.updated_at = utcnow()
    lifecycle.request_evaluations(match)
