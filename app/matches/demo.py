"""Demo matches for `deelkracht demo`: in each arrangement the demo response becomes a proposal
waiting for the employee, and the demo capacity offer an agreed placement with its agreement
(rendered after the demo's commit). Idempotent: nothing is added where a match exists."""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.demo import demo_content
from app.extensions import db
from app.matches import access, operations
from app.matches.models import Match
from app.pool.models import Application, CapacityOffer, Job
from tenants.models import Organisation


def _person(users_by_email: dict, role: str, organisation_id: int):
    slug = db.session.scalar(select(Organisation.slug).where(Organisation.id == organisation_id))
    return users_by_email.get(f"{role}@{slug}.example")


def _exists(employee_id: int) -> bool:
    return db.session.scalar(select(Match.id).where(Match.employee_id == employee_id)) is not None


@demo_content
def demo_matches(arrangement, users_by_email) -> None:
    # Until the regenerated migration creates the matches tables, the demo goes without.
    if not inspect(db.session.connection()).has_table(Match.__tablename__):
        return
    application = db.session.scalar(
        select(Application).where(Application.status == "submitted").order_by(Application.id)
    )
    if application is not None and not _exists(application.user_id):
        job = db.session.get(Job, application.job_id)
        proposer = _person(users_by_email, "teamleider", job.organisation_id)
        if proposer is None or not access.may_propose_for(proposer, job, application.user):
            proposer = _person(users_by_email, "hr", job.organisation_id)
        if proposer is not None:
            operations.propose(proposer, {"application_id": application.id})

    offer = db.session.scalar(
        select(CapacityOffer).where(CapacityOffer.status == "open").order_by(CapacityOffer.id)
    )
    coordinator = users_by_email.get(f"coordinator@{arrangement.slug}.example")
    if offer is None or coordinator is None:
        return
    if _exists(offer.user_id):
        return
    job = db.session.scalar(
        select(Job)
        .where(
            Job.organisation_id != offer.organisation_id,
            Job.visibility == "arrangement",
            Job.status == "open",
            Job.id != (application.job_id if application is not None else 0),
        )
        .order_by(Job.id)
    )
    if job is None:
        return
    match = operations.propose(coordinator, {"capacity_id": offer.id, "job_id": job.id})
    lending = _person(users_by_email, "hr", offer.organisation_id)
    borrowing = _person(users_by_email, "teamleider", job.organisation_id)
    if borrowing is None or not access.is_borrowing_side(borrowing, match):
        borrowing = _person(users_by_email, "hr", job.organisation_id)
    for user, party in ((offer.user, "employee"), (lending, "lending"), (borrowing, "borrowing")):
        operations.decide(user, match, "approve", party=party)
