""" "For you": open jobs ranked against the employee's own capacity offer, and the demo jobs."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.pool.jobs.for_you import jobs_for_you
from app.pool.models import Job
from tests.pool.jobs_factory import make_job
from tests.pool.test_jobs_visibility import give_offer


def test_jobs_rank_by_shared_skills_then_hours_and_period(world, in_arrangement):
    """More shared skills first; then a job within the offered hours and period above one
    asking more hours; jobs sharing no skill are not suggested."""
    lead = world.meer.zeewolde.lead
    make_job(in_arrangement, lead, title="Twee gedeeld", skills=["Snoeien", "Maaien"])
    make_job(in_arrangement, lead, title="Een, past", skills=["Snoeien"], hours_per_week=8)
    make_job(in_arrangement, lead, title="Een, te veel uren", skills=["Maaien"], hours_per_week=36)
    make_job(in_arrangement, lead, title="Niets gedeeld", skills=["Excel"])
    emp = world.meer.ermelo.emp
    give_offer(in_arrangement, emp, skills=("snoeien", "Maaien"), hours=16)
    with in_arrangement(emp.arrangement_id) as session:
        offer, ranked, organisations = jobs_for_you(session.get(User, emp.id))
        titles = [row.title for row, _score in ranked]
    assert offer is not None
    assert titles == ["Twee gedeeld", "Een, past", "Een, te veel uren"]
    assert organisations  # names for the rows


def test_without_an_offer_the_page_explains(client, world, login):
    """No open offer: the page says how "for you" works instead of a list."""
    login(client, world.meer.ermelo.emp)
    html = client.get("/voor-jou").get_data(as_text=True)
    assert "Je hebt nog geen open aanbod" in html


def test_ended_jobs_are_not_suggested(world, in_arrangement):
    """Jobs ending before the offer starts, or starting after it ends, are left out."""
    lead = world.meer.zeewolde.lead
    later = date.today() + timedelta(days=400)
    make_job(
        in_arrangement,
        lead,
        title="Na het aanbod",
        skills=["Snoeien"],
        start_date=later,
        end_date=later + timedelta(days=10),
    )
    emp = world.meer.ermelo.emp
    give_offer(in_arrangement, emp, skills=("Snoeien",))
    with in_arrangement(emp.arrangement_id) as session:
        _offer, ranked, _orgs = jobs_for_you(session.get(User, emp.id))
    assert ranked == []


def test_demo_organisations_post_shared_and_internal_jobs(world, in_arrangement):
    """Demo content (CONTRACT.md): each organisation posts jobs, at least one for the whole
    arrangement and one for its own organisation only; running it twice adds nothing."""
    from app.pool.jobs.demo import demo_jobs

    meer = world.meer
    with in_arrangement(meer.arrangement) as session:
        users = {}
        for slug in ("ermelo", "harderwijk", "zeewolde"):
            org = getattr(meer, slug)
            users[f"teamleider@{slug}.example"] = session.get(User, org.lead.id)
            users[f"hr@{slug}.example"] = session.get(User, org.hr.id)
        demo_jobs(None, users)
        demo_jobs(None, users)
        session.flush()
        jobs = session.scalars(select(Job)).all()
        for slug in ("ermelo", "harderwijk", "zeewolde"):
            org_id = getattr(meer, slug).org.id
            mine = [job for job in jobs if job.organisation_id == org_id]
            open_ = [job for job in mine if job.status == "open"]
            # open jobs for the whole arrangement and for the own organisation (the demo also
            # holds drafts, closed, expired and filled jobs: every page has content)
            assert {job.visibility for job in open_} == {"arrangement", "organisation"}
            assert all(job.expires_on for job in open_)
            assert len({job.title for job in mine}) == len(mine)
