"""One skill picker for jobs and offers (issue 14): the skill filter matches on a prefix ("Exc"
finds Excel) in the job list and the offer list, and the server's suggestions — skills of jobs
the caller may see, never of offers or of other organisations' organisation-only jobs — serve
the job form, the offer form and the list filter alike."""

from __future__ import annotations

from app.accounts.models import User
from app.pool.search import Filters, search_jobs
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import make_offer


def test_the_skill_filter_matches_on_a_prefix(world, in_arrangement):
    lead = world.meer.ermelo.lead
    make_job(in_arrangement, lead, title="Rekenwerk", skills=["Excel"])
    make_job(in_arrangement, lead, title="Verslagen", skills=["Notuleren"])
    make_job(in_arrangement, lead, title="Procenten", skills=["100%_zeker"])
    emp = world.meer.harderwijk.emp
    with in_arrangement(emp.arrangement_id) as s:
        viewer = s.get(User, emp.id)

        def titles(skill):
            return [row.title for row in search_jobs(viewer, "", Filters(skill=skill)).items]

        assert titles("Exc") == ["Rekenwerk"]
        assert titles("excel") == ["Rekenwerk"]
        assert titles("NOTUL") == ["Verslagen"]
        assert titles("xl") == []
        assert titles("100%") == ["Procenten"] and titles("1_0") == []  # LIKE signs are text


def test_suggestions_follow_the_prefix_and_leak_nothing(
    client, world, login, api_token, in_arrangement
):
    meer = world.meer
    make_job(in_arrangement, meer.harderwijk.lead, title="Gedeeld", skills=["Excel", "Exposities"])
    make_job(
        in_arrangement,
        meer.zeewolde.lead,
        title="Intern",
        visibility="organisation",
        skills=["Exclusief-intern"],
    )
    make_offer(client, api_token, meer.ermelo.emp2, skills=["Excelleren-aanbod"])
    login(client, meer.ermelo.emp)
    response = client.get("/vaardigheden/suggesties?q=Ex")
    assert response.status_code == 200
    assert response.get_json() == {"items": ["Excel", "Exposities"]}
    assert client.get("/vaardigheden/suggesties?q=exc").get_json() == {"items": ["Excel"]}
    # The same picker on the job form, the offer form and the list's filter.
    for page in ("/klussen/nieuw", "/mijn-aanbod/nieuw", "/klussen"):
        login(client, meer.ermelo.lead)
        html = client.get(page).get_data(as_text=True)
        assert 'list="skill-suggestions"' in html and "data-skill-picker" in html, page
        assert "skill-picker.js" in html and "/vaardigheden/suggesties" in html, page
