"""The shared ranking index (app.matches.pool_index): one per arrangement and process, each side
read on first use, brought up to date by the changed rows only, and always equal to what a full
read would give."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from app.matches import pool_index
from app.matches.pool_index import shared_index
from app.matches.sides import all_skills, jobs_where, offers_where
from app.pool.models import CapacityOffer, Job, OfferSkill
from tests.matches.conftest import make_job, make_offer, skill

pytestmark = pytest.mark.sqlite  # the refresh compares timestamps: both backends

SKILLS = ("Projectleiding", "Omgevingswet", "Notuleren", "Zwemles geven", "Communicatie")


@pytest.fixture
def fresh_index(app):
    """Each test starts without a kept index (the cache lives in app.extensions)."""
    app.extensions.pop(pool_index.INDEX_KEY, None)
    yield
    app.extensions.pop(pool_index.INDEX_KEY, None)


def full_read() -> tuple[dict, dict]:
    """What reading everything now gives: the reference for every refreshed index."""
    skills = all_skills()
    jobs, _ = jobs_where(skills, Job.status == "open")
    offers, _ = offers_where(skills, CapacityOffer.status == "open")
    return jobs, offers


def test_one_ranking_index_per_arrangement_kept_until_jobs_or_offers_change(
    world, in_arrangement, fresh_index
):
    """Issue 16: the shared index is built once and reused by both directions while nothing
    changed; a new offer, a changed job or another arrangement gets its own."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(s, meer.ermelo.org, department=meer.ermelo.team, poster=meer.ermelo.lead)
        s.commit()
        first = shared_index()
        assert shared_index() is first
        assert job.id in first.jobs
        offer = make_offer(s, meer.harderwijk.emp, skills=("Projectleiding",))
        s.commit()
        second = shared_index()
        assert second is not first and offer.id in second.offers
        assert [f.offer_id for f in second.offers_for(second.jobs[job.id])] == [offer.id]
        assert shared_index() is second
        job.hours_per_week = job.hours_per_week + 1
        s.commit()
        third = shared_index()
        assert third is not second and third.jobs[job.id].hours == job.hours_per_week
        job_id = job.id
    with in_arrangement(world.elders.arrangement.id):
        other = shared_index()
        assert other is not third and job_id not in other.jobs


def test_each_side_is_read_on_first_use_only(world, in_arrangement, fresh_index, count_queries):
    """Issue 15: a job's candidates need the offers only, "Klussen voor jou" the jobs only; at
    country scale reading the other side cost the candidates page 0.2-0.4 s."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(s, meer.ermelo.org, department=meer.ermelo.team, poster=meer.ermelo.lead)
        offer = make_offer(s, meer.harderwijk.emp, skills=("Projectleiding",))
        s.commit()
        wanted = full_read()[0][job.id]
        with count_queries() as statements:
            index = shared_index()
            found = index.offers_for(wanted)
        assert [f.offer_id for f in found] == [offer.id]
        # the version, the skill list, the open offers and their skill links: no job read
        assert len(statements) == 4, statements
        assert not any("FROM jobs" in sql for sql in statements[1:]), statements
        with count_queries() as statements:
            assert list(index.jobs) == [job.id]  # read now, on first use
            assert index.jobs_for(index.offers[offer.id])[0].job_id == job.id
        assert len(statements) == 2, statements


def test_a_change_reads_only_the_changed_rows_and_keeps_the_other_direction(
    world, in_arrangement, fresh_index, count_queries
):
    """A new offer reads that offer (and its skills) again, not the ten thousand others; the
    jobs' sides and their built index carry over as they were."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(s, meer.ermelo.org, department=meer.ermelo.team, poster=meer.ermelo.lead)
        kept = make_offer(s, meer.harderwijk.emp, skills=("Projectleiding",), hours=8)
        # changed long before the newest change seen (MARGIN): not read again
        kept.updated_at -= 2 * pool_index.MARGIN
        recent = make_offer(s, meer.zeewolde.emp, skills=("Notuleren",))
        s.commit()
        first = shared_index()
        first.offers_for(first.jobs[job.id])
        job_index = first.job_index
        added = make_offer(s, meer.ermelo.emp, skills=("Projectleiding", "Omgevingswet"))
        s.commit()
        with count_queries() as statements:
            second = shared_index()
        assert len(statements) == 3, statements  # the version, the changed offers, their skills
        assert second.job_index is job_index and second.jobs is first.jobs
        assert second.offers[kept.id] is first.offers[kept.id]  # not read again
        assert second.offers[recent.id] == first.offers[recent.id]  # read again, the same
        ranked = second.offers_for(second.jobs[job.id])
        assert [f.offer_id for f in ranked] == [added.id, kept.id]
        assert second.offer_index is not first.offer_index
        assert first.offers.keys() == {kept.id, recent.id}  # what a page still holds is unchanged


def test_a_closed_job_or_withdrawn_offer_drops_out_and_a_late_write_gets_in(
    world, in_arrangement, fresh_index
):
    """A row no longer open leaves the index; a row written with a clock behind the newest
    change seen (another process, a late commit) is read at the next change, within MARGIN."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        late = make_job(s, meer.ermelo.org, department=meer.ermelo.team, hours=8)
        gone = make_job(s, meer.ermelo.org, department=meer.ermelo.team)
        offer = make_offer(s, meer.harderwijk.emp)
        s.commit()
        index = shared_index()
        assert index.jobs.keys() == {late.id, gone.id} and index.offers.keys() == {offer.id}
        gone.status = "closed"
        offer.status = "withdrawn"
        s.commit()
        index = shared_index()
        assert index.jobs.keys() == {late.id} and index.offers == {}
        newest = s.get(Job, gone.id).updated_at
        late.hours_per_week = 24
        late.updated_at = newest - pool_index.MARGIN / 2  # written "before" the newest change
        s.commit()
        assert shared_index().jobs[late.id].hours == 8  # nothing newer yet: not seen
        gone.status = "open"  # the next change brings both in
        s.commit()
        index = shared_index()
        assert index.jobs[late.id].hours == 24 and gone.id in index.jobs
        assert (index.jobs, index.offers) == full_read()


def test_a_refreshed_index_equals_a_full_read_after_any_changes(world, in_arrangement, fresh_index):
    """Property: after each of 40 random changes (new, changed, closed and reopened jobs and
    offers, changed skill lists, a new skill) the kept index holds exactly what reading
    everything gives, and ranks as an index built from it does."""
    meer = world.meer
    rng = random.Random(15)
    people = [meer.ermelo.emp, meer.harderwijk.emp, meer.zeewolde.emp]
    with in_arrangement(meer.arrangement.id) as s:
        jobs = [make_job(s, meer.ermelo.org, skills=rng.sample(SKILLS, 2)) for _ in range(3)]
        offers = [make_offer(s, rng.choice(people), skills=rng.sample(SKILLS, 2))]
        s.commit()
        shared_index().jobs, shared_index().offers  # read both sides: refreshes go incremental
        for step in range(40):
            change = rng.choice(("job", "offer", "hours", "close", "reopen", "skills", "skill"))
            if change == "job":
                jobs.append(make_job(s, meer.ermelo.org, skills=rng.sample(SKILLS, 3)))
            elif change == "offer":
                offers.append(make_offer(s, rng.choice(people), skills=rng.sample(SKILLS, 2)))
            elif change == "hours":
                rng.choice(jobs + offers).hours_per_week = rng.randint(4, 36)
            elif change == "close":
                target = rng.choice(jobs + offers)
                target.status = "closed" if isinstance(target, Job) else "withdrawn"
            elif change == "reopen":
                rng.choice(jobs + offers).status = "open"
            elif change == "skills":
                target = rng.choice(offers)
                name = rng.choice(SKILLS)
                if all(link.skill_id != skill(s, name).id for link in target.offer_skills):
                    target.offer_skills.append(OfferSkill(skill_id=skill(s, name).id, name=name))
                    target.updated_at = target.updated_at + timedelta(seconds=1)
            else:
                skill(s, f"Vaardigheid {step}", synonyms=["projectleiding"])
            s.commit()
            index = shared_index()
            expected_jobs, expected_offers = full_read()
            assert (index.jobs, index.offers) == (expected_jobs, expected_offers), (step, change)
            built = pool_index.RankingIndex(expected_jobs, expected_offers)
            for side in expected_jobs.values():
                assert index.offers_for(side) == built.offers_for(side), (step, change)
            for side in expected_offers.values():
                assert index.jobs_for(side) == built.jobs_for(side), (step, change)
