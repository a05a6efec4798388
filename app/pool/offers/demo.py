"""Demo offers and responses for `deelkracht demo`, in every state:

- offers: the second employee of every organisation offers hours (the first organisation's
  offer ends within two weeks: the start page says so); the first employee of the last
  organisation offered and withdrew;
- responses: the first employee and the line manager of every organisation respond to
  arrangement-wide jobs of the other organisations; the posting side starts a conversation with
  one, declines one, and one response is withdrawn (submitted ones stay for the matches demo).

Idempotent: nothing is added in an arrangement that already has demo responses.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.pool.applications import operations as applications
from app.pool.jobs.operations import owners, today
from app.pool.models import Application, CapacityOffer, Job
from app.pool.offers import operations as offers

OFFER_SKILLS = [
    (
        ["Notuleren", "Klantcontact"],
        "development",
        "Ik wil graag eens bij een andere gemeente meedraaien.",
    ),
    (
        ["Projectmanagement", "Omgevingswet"],
        "peak",
        "Mijn project is af; ik heb tot de zomer ruimte.",
    ),
    (["Data-analyse", "Excel", "Financiën"], "development", "Graag meer met cijfers werken."),
    (["Wmo", "Gespreksvoering"], "other", "Twee dagen per week beschikbaar."),
    (["Communicatie", "Tekstschrijven"], "development", "Ik schrijf graag voor inwoners."),
]
MOTIVATIONS = [
    "Ik heb hier ervaring mee en help graag mee.",
    "Dit past bij wat ik wil leren; ik kan op dinsdag en donderdag.",
    "Ik werk al jaren in dit vak bij mijn eigen gemeente.",
]


def _people(users_by_email: dict, role: str) -> list:
    return sorted(
        (u for email, u in users_by_email.items() if email.startswith(f"{role}@")),
        key=lambda u: u.organisation_id,
    )


def _jobs_of_others(user, limit: int, skip: int = 0) -> list[Job]:
    """Arrangement-wide open jobs of other organisations, in a fixed order."""
    return list(
        db.session.scalars(
            select(Job)
            .where(
                Job.organisation_id != user.organisation_id,
                Job.visibility == "arrangement",
                Job.status == "open",
                Job.expires_on >= today() + timedelta(days=14),
            )
            .order_by(Job.id)
            .offset(skip)
            .limit(limit)
        )
    )


def demo_offers_and_responses(arrangement, users_by_email) -> None:
    employees = _people(users_by_email, "medewerker")
    if not employees:
        return
    if db.session.scalar(select(Application.id).limit(1)) is not None:
        return  # this arrangement has its demo responses (and offers) already
    start = today()
    for i, offerer in enumerate(_people(users_by_email, "medewerker2")):
        if db.session.scalar(select(CapacityOffer.id).where(CapacityOffer.user_id == offerer.id)):
            continue
        skills, reason, note = OFFER_SKILLS[i % len(OFFER_SKILLS)]
        offers.create(
            offerer,
            skills=skills,
            hours_per_week=8 + 4 * (i % 3),
            available_from=start,
            available_until=start + (timedelta(days=10) if i == 0 else timedelta(weeks=16)),
            reason=reason,
            note=note,
        )
    last = employees[-1]
    if len(employees) > 1:
        withdrawn = offers.create(
            last,
            skills=["Archief", "Informatiebeheer"],
            hours_per_week=4,
            available_from=start,
            available_until=start + timedelta(weeks=8),
            reason="other",
            note="",
        )
        offers.withdraw(last, withdrawn.id)

    made: list[Application] = []
    for i, person in enumerate([*employees, *_people(users_by_email, "teamleider")]):
        for k, job in enumerate(_jobs_of_others(person, 2, skip=i)):
            made.append(
                applications.apply(
                    person,
                    job.id,
                    motivation=MOTIVATIONS[(i + k) % len(MOTIVATIONS)],
                    hours_per_week=min(job.hours_per_week, 8),
                )
            )
    # The first responses stay submitted (the matches demo proposes from them); then one of
    # each decision.
    if len(made) >= 6:
        talk, no, back = made[-3], made[-2], made[-1]
        applications.decide(
            owners(talk.job)[0], talk.id, status="in_conversation", message="Zullen we bellen?"
        )
        applications.decide(
            owners(no.job)[0],
            no.id,
            status="declined",
            message="Dank je wel! We hebben gekozen voor iemand met meer ervaring.",
        )
        applications.withdraw(back.user, back.id)
