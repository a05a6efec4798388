"""Who sees which job: own organisation's jobs and the arrangement-wide jobs of the others.

A job with visibility `organisation` never reaches another organisation: not in the list, the
search, the counts, "for you", the weekly digest, the API, nor by id (404). Drafts and expired
jobs stay out of every list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.accounts.models import User
from app.pool.models import CapacityOffer, Job, OfferSkill
from app.pool.skills import get_or_create
from tests.ids import api_id, key_of
from tests.pool.jobs_factory import make_job

SHARED = "Gedeelde klus voor iedereen"
PRIVATE = "Interne klus alleen voor Ermelo"
DRAFT = "Concept dat nog niemand ziet"


@pytest.fixture
def jobs(world, in_arrangement):
    lead = world.meer.ermelo.lead
    return {
        "shared": make_job(in_arrangement, lead, title=SHARED, skills=["Snoeien"]),
        "private": make_job(
            in_arrangement, lead, title=PRIVATE, visibility="organisation", skills=["Snoeien"]
        ),
        "draft": make_job(in_arrangement, lead, title=DRAFT, publish=False, skills=["Snoeien"]),
    }


def give_offer(in_arrangement, user, skills=("Snoeien",), hours=16) -> None:
    """An open capacity offer of ``user`` (the model rows, as the offers pages make them)."""
    with in_arrangement(user.arrangement_id) as session:
        offer = CapacityOffer(
            user_id=user.id,
            organisation_id=user.organisation_id,
            hours_per_week=hours,
            available_from=date.today(),
            available_until=date.today() + timedelta(days=365),
            reason="development",
            status="open",
        )
        session.add(offer)
        session.flush()
        for skill, name in get_or_create(list(skills)):
            session.add(OfferSkill(offer_id=offer.id, skill_id=skill.id, name=name))
        session.commit()


def test_other_organisations_see_only_arrangement_wide_jobs(client, world, login, jobs):
    """An employee of another member organisation sees the shared job in the list, the
    search, the skill filter and the count; never the organisation-only job or the draft."""
    login(client, world.meer.harderwijk.emp)
    for url in ("/klussen", "/klussen?q=klus", "/klussen?skill=snoeien", "/klussen?q=ermelo"):
        html = client.get(url).get_data(as_text=True)
        assert PRIVATE not in html and DRAFT not in html, url
    assert SHARED in client.get("/klussen").get_data(as_text=True)
    assert "1 klus gevonden." in client.get("/klussen?skill=snoeien").get_data(as_text=True)
    assert "1 klus gevonden." in client.get("/klussen?q=klus").get_data(as_text=True)


def test_own_organisation_sees_its_organisation_only_jobs(client, world, login, jobs):
    """Everyone of the posting organisation sees its organisation-only jobs (not drafts)."""
    login(client, world.meer.ermelo.emp_other)
    html = client.get("/klussen").get_data(as_text=True)
    assert SHARED in html and PRIVATE in html and DRAFT not in html
    assert "2 klussen gevonden." in html


def test_by_id_other_organisations_get_404(client, world, login, api_token, jobs):
    """By id, the organisation-only job and the draft do not exist for another organisation:
    404 on the page, the edit and renew pages and the API."""
    login(client, world.meer.zeewolde.hr)
    headers = api_token(world.meer.zeewolde.hr)
    for key in ("private", "draft"):
        job_id = jobs[key]
        for url in (
            f"/klussen/{api_id('job', job_id)}",
            f"/klussen/{api_id('job', job_id)}/bewerken",
        ):
            assert client.get(url).status_code == 404, url
        assert client.get(f"/klussen/{api_id('job', job_id)}/verlengen").status_code == 404
        assert (
            client.get(f"/api/v1/jobs/{api_id('job', job_id)}", headers=headers).status_code == 404
        )
        response = client.patch(
            f"/api/v1/jobs/{api_id('job', job_id)}", json={"title": "x"}, headers=headers
        )
        assert response.status_code == 404
    assert client.get(f"/klussen/{api_id('job', jobs['shared'])}").status_code == 200


def test_api_list_and_search_leave_them_out(client, world, api_token, jobs):
    """GET /jobs (with and without q, any status) never lists them for another organisation."""
    headers = api_token(world.meer.zeewolde.emp)
    for query in ("", "?q=klus", "?skill=snoeien", "?status=draft", "?organisation=ermelo"):
        data = client.get(f"/api/v1/jobs{query}", headers=headers).get_json()
        titles = [item["title"] for item in data["items"]]
        assert PRIVATE not in titles and DRAFT not in titles, query
        assert data["total"] == len(titles)
    own = api_token(world.meer.ermelo.emp)
    titles = [i["title"] for i in client.get("/api/v1/jobs", headers=own).get_json()["items"]]
    assert sorted(titles) == sorted([SHARED, PRIVATE])


def test_for_you_leaves_them_out(client, world, login, in_arrangement, jobs):
    """ "For you" ranks the jobs matching the employee's offer, only among the jobs they may
    see."""
    give_offer(in_arrangement, world.meer.harderwijk.emp)
    login(client, world.meer.harderwijk.emp)
    html = client.get("/voor-jou").get_data(as_text=True)
    assert SHARED in html and PRIVATE not in html and DRAFT not in html
    give_offer(in_arrangement, world.meer.ermelo.emp)
    login(client, world.meer.ermelo.emp)
    html = client.get("/voor-jou").get_data(as_text=True)
    assert SHARED in html and PRIVATE in html and DRAFT not in html


def test_weekly_digest_leaves_them_out(world, in_arrangement, jobs):
    """The digest's new jobs for an employee of another organisation hold no
    organisation-only job (it uses the same visibility rule)."""
    from app.pool.notifications import digest

    give_offer(in_arrangement, world.meer.harderwijk.emp)
    with in_arrangement(world.meer.arrangement) as session:
        viewer = session.get(User, world.meer.harderwijk.emp.id)
        now = datetime.utcnow()
        found, _ = digest.new_jobs_for(viewer, now - timedelta(days=7), now + timedelta(days=1))
        assert [job.title for job in found] == [SHARED]


def test_expired_jobs_leave_the_lists_before_the_schedule_runs(
    client, world, login, in_arrangement, jobs
):
    """An open job past its expiry date is gone from lists, search and "for you" at once."""
    with in_arrangement(world.meer.arrangement) as session:
        session.get(Job, key_of("job", jobs["shared"])).expires_on = date.today() - timedelta(
            days=1
        )
        session.commit()
    give_offer(in_arrangement, world.meer.harderwijk.emp)
    login(client, world.meer.harderwijk.emp)
    for url in ("/klussen", "/klussen?q=klus", "/voor-jou"):
        assert SHARED not in client.get(url).get_data(as_text=True), url
    page = client.get(f"/klussen/{api_id('job', jobs['shared'])}").get_data(as_text=True)
    assert "Verlopen" in page  # by id it says so
