"""Demo offers and responses for `deelkracht demo`: in each arrangement, one employee of the
first organisation offers hours and skills and another responds to an arrangement-wide job of a
neighbouring organisation. Idempotent: nothing is added for people who already have one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.demo import demo_content
from app.extensions import db
from app.pool import applications, offers
from app.pool.jobs import today
from app.pool.models import Application, CapacityOffer, Job


@demo_content
def demo_offers_and_responses(arrangement, users_by_email) -> None:
    employees = sorted(
        (user for email, user in users_by_email.items() if email.startswith("medewerker")),
        key=lambda user: user.email,
    )
    if not employees:
        return
    first_org = employees[0].organisation_id
    offerer = next((u for u in employees if u.email.startswith("medewerker2@")), None)
    if offerer is not None and offerer.organisation_id == first_org:
        has_offer = db.session.scalar(
            select(CapacityOffer.id).where(CapacityOffer.user_id == offerer.id)
        )
        if has_offer is None:
            offers.create(
                offerer,
                skills=["Notuleren", "Klantcontact"],
                hours_per_week=8,
                available_from=today(),
                available_until=today() + timedelta(weeks=12),
                reason="development",
                note="Ik wil graag eens bij een andere gemeente meedraaien.",
            )
    applicant = next(
        (
            u
            for u in employees
            if u.email.startswith("medewerker@") and u.organisation_id == first_org
        ),
        None,
    )
    if applicant is None:
        return
    if db.session.scalar(select(Application.id).where(Application.user_id == applicant.id)):
        return
    job = db.session.scalar(
        select(Job)
        .where(
            Job.organisation_id != first_org,
            Job.visibility == "arrangement",
            Job.status == "open",
        )
        .order_by(Job.id)
    )
    if job is not None:
        applications.apply(
            applicant,
            job.id,
            motivation="Ik heb ervaring met notuleren en help graag mee.",
            hours_per_week=6,
        )
