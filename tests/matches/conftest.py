"""Fixtures of the matches tests: jobs, offers and responses made straight in the database, in
arrangement "meer" of the standard world (tests/support/world.py)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from app.pool.models import Application, CapacityOffer, Job, JobSkill, OfferSkill, Skill, skill_key
from tests.ids import public_id

START = date.today() + timedelta(days=14)
END = START + timedelta(days=180)


def skill(session, name: str, synonyms=()) -> Skill:
    from sqlalchemy import select

    key = skill_key(name)
    found = session.scalar(select(Skill).where(Skill.key == key))
    if found is None:
        found = Skill(key=key, synonyms=list(synonyms))
        session.add(found)
        session.flush()
    return found


def make_job(
    session,
    org,
    *,
    department=None,
    poster=None,
    title="Projectleider Omgevingswet",
    places=1,
    skills=("Projectleiding", "Omgevingswet"),
    hours=16,
    start=START,
    end=END,
    visibility="arrangement",
    description="Leiden van het project.",
    location="Gemeentehuis",
) -> Job:
    job = Job(
        organisation_id=org.id,
        department_id=department.id if department else None,
        posted_by_id=poster.id if poster else None,
        title=title,
        description=description,
        hours_per_week=hours,
        start_date=start,
        end_date=end,
        places=places,
        visibility=visibility,
        status="open",
        location=location,
        expires_on=date.today() + timedelta(days=42),
    )
    session.add(job)
    session.flush()
    for name in skills:
        session.add(JobSkill(job_id=job.id, skill_id=skill(session, name).id, name=name))
    if hasattr(job, "skills_text"):
        job.skills_text = "\n".join(skills)
    session.flush()
    return job


def make_offer(
    session, user, *, skills=("Projectleiding",), hours=16, start=None, until=None, note=""
) -> CapacityOffer:
    offer = CapacityOffer(
        user_id=user.id,
        organisation_id=user.organisation_id,
        hours_per_week=hours,
        available_from=start or date.today(),
        available_until=until,
        reason="development",
        note=note,
        status="open",
    )
    session.add(offer)
    session.flush()
    for name in skills:
        session.add(OfferSkill(offer_id=offer.id, skill_id=skill(session, name).id, name=name))
    session.flush()
    return offer


def make_application(session, job_id, user, motivation="Ik wil graag meedoen.", hours=None):
    application = Application(
        job_id=job_id,
        user_id=user.id,
        organisation_id=user.organisation_id,
        motivation=motivation,
        hours_per_week=hours,
        status="submitted",
    )
    session.add(application)
    session.flush()
    return application


@pytest.fixture
def scene(world, in_arrangement, saved_scene):
    """A job of Ermelo (team, line manager ermelo.lead), a response to it by an employee of
    Harderwijk (team, line manager harderwijk.lead) and a capacity offer of another employee of
    Harderwijk; plus a same-organisation case: Ermelo's emp_other (other department). Built once
    per test process, then restored (tests/fixtures/world.py, saved_scene). Its ids are public ids;
    ``scene.keys`` has the rows' keys, for the database."""
    keys = saved_scene("matches-scene", lambda: _build_scene(world, in_arrangement))
    # URLs and bodies carry public ids (app/ids.py); ``scene.keys`` holds the rows' keys.
    return SimpleNamespace(
        job=public_id("job", keys.job),
        application=public_id("application", keys.application),
        offer=public_id("offer", keys.offer),
        same_org_job=public_id("job", keys.same_org_job),
        keys=keys,
    )


def _build_scene(world, in_arrangement):
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        from app.accounts.models import User
        from tenants.models import Organisation

        for org in (meer.ermelo.org, meer.harderwijk.org, meer.zeewolde.org):
            row = s.get(Organisation, org.id)
            row.kvk_number = f"0{org.id:07d}"
        for person in (meer.harderwijk.emp, meer.harderwijk.emp2, meer.ermelo.emp_other):
            row = s.get(User, person.id)
            row.personnel_number = f"P-{person.id:05d}"
            row.job_title = "Beleidsmedewerker"
            row.contract_hours = 36
        job = make_job(s, meer.ermelo.org, department=meer.ermelo.team, poster=meer.ermelo.lead)
        application = make_application(s, job.id, meer.harderwijk.emp)
        offer = make_offer(s, meer.harderwijk.emp2, skills=("Projectleiding", "Omgevingswet"))
        same_org_job = make_job(
            s,
            meer.ermelo.org,
            department=meer.ermelo.team,
            poster=meer.ermelo.lead,
            title="Adviseur participatie",
            skills=("Participatie",),
        )
        ids = SimpleNamespace(
            job=job.id,
            application=application.id,
            offer=offer.id,
            same_org_job=same_org_job.id,
        )
        s.commit()
    return ids
