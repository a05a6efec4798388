"""Finding work: full-text search in Dutch, filters, ranking, paging, and a constant number of
queries per page whatever the amount of data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.accounts.models import User
from app.pool.search import Filters, query_terms, search_jobs
from tests.pool.jobs_factory import make_job
from tests.support.environment import BACKEND


def search(in_arrangement, user, q="", **filters):
    with in_arrangement(user.arrangement_id) as session:
        viewer = session.get(User, user.id)
        result = search_jobs(viewer, q, Filters(**filters))
        return [row.title for row in result.items], result.total


def test_query_terms_drop_dutch_stop_words():
    """Stop words and punctuation do not count: "werk in de zorg!" looks for werk and zorg."""
    assert query_terms("Werk in de zorg!") == ["werk", "zorg"]
    assert query_terms("de het een") == []
    assert query_terms('"notuleren" OR -excel*') == ["notuleren", "or", "excel"]


def test_search_finds_title_description_and_skills(world, in_arrangement):
    """Words are found in the title, the description and the skills."""
    lead = world.meer.ermelo.lead
    make_job(in_arrangement, lead, title="Zwembadtoezicht", description="Badmeester gezocht")
    make_job(in_arrangement, lead, title="Archief", description="Dossiers ordenen", skills=[])
    make_job(in_arrangement, lead, title="Ondersteuning", skills=["Webredactie"])
    emp = world.meer.harderwijk.emp
    assert search(in_arrangement, emp, "zwembadtoezicht")[0] == ["Zwembadtoezicht"]
    assert search(in_arrangement, emp, "dossiers")[0] == ["Archief"]
    assert search(in_arrangement, emp, "webredactie")[0] == ["Ondersteuning"]
    assert search(in_arrangement, emp, "onbekendwoord") == ([], 0)


def test_search_in_dutch_folds_case_diacritics_and_plurals(world, in_arrangement):
    """ "coordinator" finds "Coördinator", "KLUSSEN" finds "klussen", and a plural finds the
    singular (Dutch stemming on PostgreSQL, prefix words on SQLite)."""
    lead = world.meer.ermelo.lead
    make_job(in_arrangement, lead, title="Coördinator vrijwilligers", description="Plannen")
    make_job(in_arrangement, lead, title="Kleine klussen", description="Allerlei klussen")
    make_job(in_arrangement, lead, title="Notulist", description="Verslag van de vergadering")
    emp = world.meer.zeewolde.emp
    assert search(in_arrangement, emp, "coordinator")[0] == ["Coördinator vrijwilligers"]
    assert search(in_arrangement, emp, "KLUSSEN")[0] == ["Kleine klussen"]
    assert search(in_arrangement, emp, "verslag vergadering")[0] == ["Notulist"]
    assert search(in_arrangement, emp, "vergader")[0] == ["Notulist"]  # stem / prefix


def test_every_word_must_match_and_better_matches_rank_first(world, in_arrangement):
    """All words must occur; a job with the words in its title ranks above one that only
    mentions them in the description."""
    lead = world.meer.ermelo.lead
    make_job(
        in_arrangement, lead, title="Planner", description="Roosters maken voor de buitendienst"
    )
    make_job(in_arrangement, lead, title="Roosters buitendienst", description="Planning")
    make_job(in_arrangement, lead, title="Roosters", description="Binnendienst")
    titles, total = search(in_arrangement, world.meer.ermelo.emp, "roosters buitendienst")
    assert total == 2
    assert titles == ["Roosters buitendienst", "Planner"]


def test_search_syntax_is_not_interpreted(world, in_arrangement):
    """Quotes, stars, colons and FTS/tsquery operators in a query are just characters."""
    make_job(in_arrangement, world.meer.ermelo.lead, title="Excel specialist")
    emp = world.meer.ermelo.emp
    for q in ('excel"', "excel*", "title:excel", "excel & !", "excel OR", "(excel", "NEAR(excel)"):
        titles, _ = search(in_arrangement, emp, q)
        assert titles in (["Excel specialist"], []), q


def test_filters(world, in_arrangement):
    """Organisation, skill (any spelling), hours range, period (available between) and remote
    narrow the results."""
    start = date.today() + timedelta(days=10)
    make_job(
        in_arrangement,
        world.meer.ermelo.lead,
        title="A",
        hours_per_week=8,
        skills=["Notuleren"],
        start_date=start,
        end_date=start + timedelta(days=20),
    )
    make_job(
        in_arrangement,
        world.meer.zeewolde.lead,
        title="B",
        hours_per_week=32,
        skills=["Excel"],
        remote=True,
        start_date=start + timedelta(days=100),
        end_date=start + timedelta(days=200),
    )
    emp = world.meer.harderwijk.emp

    def titles(**filters):
        return sorted(search(in_arrangement, emp, **filters)[0])

    assert titles() == ["A", "B"]
    assert titles(organisation="zeewolde") == ["B"]
    assert titles(organisation="onbekend") == []
    assert titles(skill=" NOTULEREN ") == ["A"]
    assert titles(hours_min=10) == ["B"]
    assert titles(hours_max=10) == ["A"]
    assert titles(available_from=start + timedelta(days=50)) == ["B"]
    assert titles(available_until=start + timedelta(days=50)) == ["A"]
    assert titles(remote=True) == ["B"]


def test_search_pages_are_25_long_and_ranked_totals_are_exact(world, in_arrangement):
    """Results come 25 a page; the search total counts every match."""
    for n in range(30):
        make_job(in_arrangement, world.meer.ermelo.lead, title=f"Groenonderhoud {n}")
    with in_arrangement(world.meer.arrangement) as session:
        viewer = session.get(User, world.meer.ermelo.emp.id)
        first = search_jobs(viewer, "groenonderhoud", Filters(), page=1)
        second = search_jobs(viewer, "groenonderhoud", Filters(), page=2)
        past = search_jobs(viewer, "groenonderhoud", Filters(), page=5)
    assert (len(first.items), first.total, first.pages) == (25, 30, 2)
    assert (len(second.items), second.total) == (5, 30)
    assert (past.items, past.total) == ([], 30)
    assert not {r.id for r in first.items} & {r.id for r in second.items}


def test_the_list_count_stops_at_a_cap(world, in_arrangement, monkeypatch):
    """Without a text query the total is counted up to a cap, shown as "more than"."""
    import app.pool.search as search_module

    monkeypatch.setattr(search_module, "COUNT_CAP", 30)
    for n in range(32):
        make_job(in_arrangement, world.meer.ermelo.lead, title=f"Klus {n}")
    with in_arrangement(world.meer.arrangement) as session:
        viewer = session.get(User, world.meer.ermelo.emp.id)
        capped = search_jobs(viewer, "", Filters(), page=1, per_page=2)
        exact = search_jobs(viewer, "", Filters(), page=1, per_page=2, exact_total=True)
    assert capped.capped and capped.total == 30
    assert not exact.capped and exact.total == 32


# --- queries per page ------------------------------------------------------------------------


def _many_jobs(in_arrangement, world, n: int) -> None:
    posters = [world.meer.ermelo.lead, world.meer.zeewolde.lead, world.meer.harderwijk.hr]
    for i in range(n):
        make_job(
            in_arrangement,
            posters[i % 3],
            title=f"Groenvoorziening {i}",
            skills=["Snoeien", f"Vaardigheid {i % 7}"],
            visibility="organisation" if i % 5 == 0 else "arrangement",
        )


@pytest.mark.parametrize(
    "url",
    ["/klussen", "/klussen?q=groenvoorziening", "/klussen?skill=snoeien", "/klussen?remote=1"],
)
def test_queries_per_page_do_not_grow_with_the_data(
    url, app, client, world, login, in_arrangement, count_queries
):
    """The list and search pages send the same number of SQL statements for 5 jobs as for 60
    (no query per row: skills and organisations come with the page)."""
    login(client, world.meer.harderwijk.emp)
    counts = []
    for n in (5, 55):  # 5 jobs, then 60
        _many_jobs(in_arrangement, world, n)
        client.get(url)  # warm-up
        app.extensions.pop("pool_search_pages", None)  # measure the queries, not a kept page
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_a_kept_page_never_shows_an_outdated_job(client, world, login, api_token):
    """The list and search pages reuse a result only while no job changed: a renamed,
    hidden or closed job shows so at once."""
    lead = api_token(world.meer.ermelo.lead)
    start = date.today() + timedelta(days=3)
    created = client.post(
        "/api/v1/jobs",
        json={
            "title": "Kadastermedewerker",
            "description": "Percelen",
            "hoursPerWeek": 8,
            "startDate": start.isoformat(),
            "endDate": (start + timedelta(days=30)).isoformat(),
        },
        headers=lead,
    ).get_json()
    url = f"/api/v1/jobs/{created['id']}"
    login(client, world.meer.harderwijk.emp)

    def found(q):
        return "Kadaster" in client.get(f"/klussen?q={q}").get_data(as_text=True)

    assert found("kadastermedewerker") and found("kadastermedewerker")  # kept, then reused
    assert "Kadastermedewerker" in client.get("/klussen").get_data(as_text=True)
    client.patch(url, json={"title": "Landmeter"}, headers=lead)
    assert not found("kadastermedewerker")
    assert "Landmeter" in client.get("/klussen").get_data(as_text=True)
    client.patch(url, json={"title": "Kadastermedewerker"}, headers=lead)
    assert found("kadastermedewerker")
    client.patch(url, json={"visibility": "organisation"}, headers=lead)
    assert not found("kadastermedewerker")
    client.patch(url, json={"visibility": "arrangement", "status": "closed"}, headers=lead)
    assert not found("kadastermedewerker")


def test_install_search_is_idempotent(schema, world, in_arrangement):
    """install_search (called by the migration and the tests' schema) can run again on a
    database that has it, jobs and all, and search keeps working."""
    from app.pool.search import install_search

    make_job(in_arrangement, world.meer.ermelo.lead, title="Brugwachter")
    with schema.owner_engine.begin() as connection:
        install_search(connection)
        install_search(connection)
    assert search(in_arrangement, world.meer.ermelo.emp, "brugwachter")[0] == ["Brugwachter"]


def test_search_never_reaches_into_another_arrangement(world, in_arrangement):
    """The full-text index holds every arrangement's jobs; results, counts and the "more than"
    flag come only from the viewer's own arrangement."""
    make_job(in_arrangement, world.elders.andere.lead, title="Havenmeester elders")
    make_job(in_arrangement, world.meer.ermelo.lead, title="Havenmeester meer")
    with in_arrangement(world.meer.arrangement) as session:
        viewer = session.get(User, world.meer.zeewolde.emp.id)
        result = search_jobs(viewer, "havenmeester", Filters())
    assert [row.title for row in result.items] == ["Havenmeester meer"]
    assert (result.total, result.capped) == (1, False)


def test_broad_searches_rank_the_newest_matches_and_say_more(world, in_arrangement, monkeypatch):
    """A word in very many jobs: the newest matches are ranked and the total says "more than"."""
    import app.pool.search as search_module

    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    for n in range(7):
        make_job(in_arrangement, world.meer.ermelo.lead, title=f"Veegploeg {n}")
    with in_arrangement(world.meer.arrangement) as session:
        viewer = session.get(User, world.meer.ermelo.emp.id)
        result = search_jobs(viewer, "veegploeg", Filters())
    assert result.capped and result.total == 5
    assert sorted(row.title for row in result.items) == [f"Veegploeg {n}" for n in range(2, 7)]


def close(in_arrangement, arrangement_id: int, job_id: int) -> None:
    from app.pool.models import Job
    from app.transaction import commit

    with in_arrangement(arrangement_id) as session:
        session.get(Job, job_id).status = "closed"
        commit()


@pytest.mark.skipif(BACKEND != "postgresql", reason="the PostgreSQL side table job_search")
def test_a_search_finds_all_its_arrangements_matches_however_many_newer_ones_others_hold(
    world, in_arrangement, monkeypatch
):
    """Completeness at country scale: the side table holds each job's arrangement and status,
    so the bounded candidates are the caller's own open matches, never the newest of all
    arrangements (those once crowded out every match of a small arrangement). A job's status
    change reaches the side table at once (the trigger)."""
    import app.pool.search as search_module

    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    lead = world.meer.ermelo.lead
    ours = [make_job(in_arrangement, lead, title=f"Dijkwachter {n}") for n in range(3)]
    gesloten = make_job(in_arrangement, lead, title="Dijkwachter gesloten")
    close(in_arrangement, world.meer.arrangement, gesloten)
    for n in range(12):  # newer, and more than CANDIDATES, in another arrangement
        make_job(in_arrangement, world.elders.andere.lead, title=f"Dijkwachter elders {n}")
    titles, total = search(in_arrangement, world.meer.zeewolde.emp, "dijkwachter")
    assert sorted(titles) == [f"Dijkwachter {n}" for n in range(3)] and total == 3
    with in_arrangement(world.meer.arrangement) as session:
        viewer = session.get(User, world.meer.zeewolde.emp.id)
        assert not search_jobs(viewer, "dijkwachter", Filters()).capped
    closed = search(in_arrangement, world.meer.zeewolde.emp, "dijkwachter", status="closed")
    assert closed == (["Dijkwachter gesloten"], 1)

    close(in_arrangement, world.meer.arrangement, ours[0])
    titles, total = search(in_arrangement, world.meer.zeewolde.emp, "dijkwachter")
    assert sorted(titles) == ["Dijkwachter 1", "Dijkwachter 2"] and total == 2
    titles, _ = search(in_arrangement, world.meer.zeewolde.emp, "dijkwachter", status="closed")
    assert sorted(titles) == ["Dijkwachter 0", "Dijkwachter gesloten"]


@pytest.mark.skipif(BACKEND != "postgresql", reason="the PostgreSQL search function")
def test_the_search_function_opens_no_door_past_the_arrangement_wall(world, in_arrangement):
    """job_search_matches reads past row-level security (as its owner), by keys of the caller's
    arrangement and statuses: called directly, with a negation (which the keys cannot narrow)
    or a crafted status, it still answers only the caller's own arrangement's jobs."""
    from sqlalchemy import text

    ours = make_job(in_arrangement, world.meer.ermelo.lead, title="Sluiswachter")
    theirs = make_job(in_arrangement, world.elders.andere.lead, title="Sluiswachter elders")
    crafted = f"open/x' | '{world.elders.arrangement.id}/open/sluiswachter"
    calls = [
        ("sluiswachter", ["open"]),
        ("!kwartiermaker", ["open"]),
        ("sluiswachter", [crafted]),
        ("sluiswachter", ["open", crafted]),
    ]
    with in_arrangement(world.meer.arrangement) as session:
        found = [
            {
                row.job_id
                for row in session.execute(
                    text(
                        "SELECT job_id FROM job_search_matches("
                        "to_tsquery('deelkracht_dutch', :q), :statuses, 1000)"
                    ),
                    {"q": q, "statuses": statuses},
                )
            }
            for q, statuses in calls
        ]
    assert ours in found[0] and theirs not in found[0]
    assert ours in found[1] and theirs not in found[1]
    assert found[2] == set() and found[3] == {ours}


@pytest.mark.skipif(BACKEND != "postgresql", reason="the PostgreSQL keyed search index")
def test_a_very_long_word_neither_fails_the_save_nor_the_search(world, in_arrangement):
    """The search index keys each word with the arrangement and status; a word near the
    lexeme limit (2,046 bytes) would pass it with that prefix, so such words are not keyed: the
    job still saves and is found by its other words."""
    make_job(in_arrangement, world.meer.ermelo.lead, title="Dijkgraaf", description="q" * 2046)
    assert search(in_arrangement, world.meer.ermelo.emp, "dijkgraaf") == (["Dijkgraaf"], 1)
