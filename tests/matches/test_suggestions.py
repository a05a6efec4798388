"""Suggestions: ranked candidates for a job and jobs for an offer, with reasons in words, only
among what the caller may see; the ranking core against brute force."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from app.matches import ranking
from app.matches.concepts import concepts
from app.matches.ranking import JobIndex, OfferIndex, Side, fit
from tests.ids import api_id, public_id
from tests.matches.conftest import make_job, make_offer, skill


def test_dutch_stems_and_synonyms_make_skills_meet():
    """Inflections meet through the Dutch stemmer, other words through the skill's synonyms."""
    assert concepts("Projecten") & concepts("project")
    assert concepts("Gemeentelijke regelgeving") & concepts("gemeente regelgeving")
    assert concepts("Verslagen") & concepts("verslag")
    assert not concepts("Notuleren") & concepts("Verslaglegging")
    assert concepts("Notuleren", ["verslaglegging"]) & concepts("Verslaglegging")


def test_reasons_in_words(app):
    """ "3 van 4 vaardigheden, 8 van 12 uur, beschikbaar vanaf 1 mrt 2027" (the pages' one
    date style, app.dates)."""
    from app.matches.suggestions import reasons

    start = date(date.today().year + 1, 2, 1)
    job = Side(
        1,
        (concepts("a"), concepts("b"), concepts("c"), concepts("d")),
        12,
        start,
        start + timedelta(days=120),
    )
    offer = Side(2, (concepts("a"), concepts("b"), concepts("c")), 8, date(start.year, 3, 1), None)
    with app.test_request_context():
        words = reasons(fit(job, offer))
    assert words[:2] == ["3 van 4 vaardigheden", "8 van 12 uur"]
    assert words[2].startswith(f"beschikbaar vanaf 1 mrt {start.year}")


def _random_sides(rng, count, vocabulary, first_id, open_end):
    sides = []
    for number in range(count):
        names = rng.sample(vocabulary, rng.randint(1, 5))
        start = date(2027, 1, 1) + timedelta(days=rng.randint(0, 300))
        end = None if open_end and rng.random() < 0.4 else start + timedelta(rng.randint(1, 200))
        sides.append(
            Side(
                first_id + number, tuple(concepts(n) for n in names), rng.randint(4, 36), start, end
            )
        )
    return sides


@pytest.mark.parametrize(("seed", "size"), [(3, 25), (11, 6), (17, 60)])
def test_the_index_ranks_as_brute_force_does(seed, size):
    """The pruned, indexed ranking returns exactly the best offers (and jobs) that scoring
    every pair would: by score as shown, then skills covered, then hours (the index keeps the
    offers in order of hours); same ids, same order, same figures."""
    rng = random.Random(seed)
    vocabulary = [f"vaardigheid{n}" for n in range(size)]
    jobs = [j for j in _random_sides(rng, 60, vocabulary, 1, False) if j.end]
    offers = _random_sides(rng, 300, vocabulary, 1000, True)
    offers += [Side(5000 + n, o.skills, o.hours, o.start, o.end) for n, o in enumerate(offers[:40])]
    index = OfferIndex(offers)
    order = {o.id: pos for pos, o in enumerate(index.offers)}
    for job in jobs:
        every = [fit(job, o) for o in offers]
        every = [f for f in every if f.skills_matched > 0]
        every.sort(key=lambda f: (-f.score, -f.skills_matched, order[f.offer_id]))
        ranked = index.rank(job, 10)
        assert [(f.offer_id, f.skills_matched, f.score) for f in ranked] == [
            (f.offer_id, f.skills_matched, f.score) for f in every[:10]
        ]
    job_index = JobIndex(jobs)
    for offer in offers[:50]:
        every = [fit(j, offer) for j in jobs]
        every = [f for f in every if f.skills_matched > 0]
        every.sort(key=lambda f: (-f.score, f.job_id))
        assert [f.job_id for f in job_index.rank(offer, 5)] == [f.job_id for f in every[:5]]
    assert ranking.rank_all(jobs[:3], offers, 4).keys() == {j.id for j in jobs[:3]}


def test_candidates_for_a_job_respect_the_privacy_settings(
    client, world, make_world, scene, api_token, in_arrangement
):
    """The job's line manager sees the response ranked with reasons, but not Harderwijk's
    offers (visible to HR and coordinators only); the coordinator sees the offer too; the
    offer owner's own line manager may not look at the job's candidates at all (404)."""
    meer = world.meer
    lead = client.get(
        f"/api/v1/jobs/{scene.job}/candidates", headers=api_token(meer.ermelo.lead)
    ).get_json()
    assert [c["id"] for c in lead["responses"]] == [scene.application]
    assert lead["responses"][0]["reasons"][0].endswith("van 2 vaardigheden")
    assert lead["offers"] == []
    coordinator = client.get(
        f"/api/v1/jobs/{scene.job}/candidates", headers=api_token(meer.coordinator)
    ).get_json()
    assert [c["id"] for c in coordinator["offers"]] == [scene.offer]
    assert coordinator["offers"][0]["reasons"][:2] == ["2 van 2 vaardigheden", "16 van 16 uur"]
    r = client.get(
        f"/api/v1/jobs/{scene.job}/candidates",
        headers=api_token(meer.harderwijk.lead),
    )
    assert r.status_code == 404


def test_offers_open_to_the_arrangement_reach_the_hiring_side(
    client, make_world, api_token, in_arrangement
):
    """With capacity_visibility "arrangement" the job's line manager sees the offer, ranked by
    how many skills it covers (synonyms count)."""
    world = make_world({"harderwijk": {"capacity_visibility": "arrangement"}})
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        skill(s, "Notuleren", ["verslaglegging"])
        job = make_job(
            s,
            meer.ermelo.org,
            department=meer.ermelo.team,
            poster=meer.ermelo.lead,
            skills=("Notuleren", "Projectleiding"),
            hours=12,
        )
        good = make_offer(
            s,
            meer.harderwijk.emp,
            skills=("Verslaglegging", "Projecten leiden", "Projectleiding"),
            hours=8,
        )
        weak = make_offer(s, meer.harderwijk.emp2, skills=("Projectleiding",), hours=40)
        make_offer(s, meer.harderwijk.emp_other, skills=("Tuinieren",))
        ids = public_id(job), public_id(good), public_id(weak)
        s.commit()
    found = client.get(
        f"/api/v1/jobs/{ids[0]}/candidates", headers=api_token(meer.ermelo.lead)
    ).get_json()
    assert [c["id"] for c in found["offers"]] == [ids[1], ids[2]]
    assert found["offers"][0]["reasons"][:2] == ["2 van 2 vaardigheden", "8 van 12 uur"]


def test_jobs_that_fit_an_employees_offer(client, app, world, scene, api_token, login):
    """The employee sees the open jobs that fit their offer, best first, with reasons."""
    meer = world.meer
    body = client.get(
        f"/api/v1/capacities/{scene.offer}/suggested-jobs",
        headers=api_token(meer.harderwijk.emp2),
    ).get_json()
    assert body["items"][0]["jobId"] == scene.job
    assert body["items"][0]["reasons"][0] == "2 van 2 vaardigheden"
    r = client.get(
        f"/api/v1/capacities/{scene.offer}/suggested-jobs",
        headers=api_token(meer.harderwijk.lead),
    )
    assert r.status_code == 404  # the owner's line manager does not see the offer
    web = app.test_client()
    login(web, meer.harderwijk.emp2)
    page = web.get("/passende-klussen").get_data(as_text=True)
    assert "Projectleider Omgevingswet" in page and "2 van 2 vaardigheden" in page


def test_candidates_and_the_proposal_form_belong_to_the_jobs_side(
    client, app, make_world, api_token, login, in_arrangement
):
    """Issue 10, finding 15. Harderwijk opens its offers to the hiring side of the arrangement.
    HR of Zeewolde may see that offer and Ermelo's job, yet the job is not theirs: its
    candidates (API and page) and the proposal form for Harderwijk's employee on Ermelo's job
    are 404 for them. The job's side and the coordinator keep both; HR of the employee's own
    organisation may still propose (CONTRACT.md: HR of either organisation)."""
    world = make_world({"harderwijk": {"capacity_visibility": "arrangement"}})
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(s, meer.ermelo.org, department=meer.ermelo.team, poster=meer.ermelo.lead)
        offer = make_offer(s, meer.harderwijk.emp, skills=("Projectleiding",))
        ids = job.id, offer.id
        s.commit()
    job_id, offer_id = ids
    propose_url = (
        f"/detacheringen/nieuw?job={api_id('job', job_id)}&capacity={api_id('offer', offer_id)}"
    )

    outsider = meer.zeewolde.hr
    assert (
        client.get(
            f"/api/v1/capacities/{api_id('offer', offer_id)}", headers=api_token(outsider)
        ).status_code
        == 200
    )
    r = client.get(f"/api/v1/jobs/{api_id('job', job_id)}/candidates", headers=api_token(outsider))
    assert r.status_code == 404
    web = app.test_client()
    login(web, outsider)
    assert web.get(f"/klussen/{api_id('job', job_id)}/kandidaten").status_code == 404
    assert web.get(propose_url).status_code == 404
    assert web.post(propose_url, data={}).status_code == 404
    assert f"/klussen/{api_id('job', job_id)}/kandidaten" not in web.get(
        f"/klussen/{api_id('job', job_id)}"
    ).get_data(as_text=True)

    for insider in (meer.ermelo.hr, meer.ermelo.lead, meer.coordinator):
        found = client.get(
            f"/api/v1/jobs/{api_id('job', job_id)}/candidates", headers=api_token(insider)
        )
        assert found.status_code == 200, insider.email
        assert [c["id"] for c in found.get_json()["offers"]] == [public_id("offer", offer_id)], (
            insider.email
        )
        login(web, insider)
        assert web.get(f"/klussen/{api_id('job', job_id)}/kandidaten").status_code == 200, (
            insider.email
        )
        assert web.get(propose_url).status_code == 200, insider.email
    # HR of the employee's home organisation may propose their own employee, not browse the job.
    login(web, meer.harderwijk.hr)
    assert web.get(propose_url).status_code == 200
    assert web.get(f"/klussen/{api_id('job', job_id)}/kandidaten").status_code == 404
