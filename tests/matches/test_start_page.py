"""The start page lists what needs this person now (issue 13): exactly the decisions waiting for
them — as the employee, for the lending side, for the borrowing side — new responses to their
jobs, jobs about to expire, proposals that wait long (HR, coordinators) and their own offer
that ends soon. It follows the lists' privacy rules: the employee's own line manager sees
nothing of their staff's proposals, responses or offers before the employee's consent."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import select, update

from app.matches.models import Match
from app.pool.models import Application, Job
from tests.ids import key_of, public_id
from tests.matches.conftest import make_application, make_job, make_offer
from tests.matches.helpers import decide, propose
from tests.pool.test_privacy_line_manager_snapshot import normalise

BLOCK = re.compile(r'<section[^>]*id="wacht-(\w+)"[^>]*>(.*?)</section>', re.S)
MATCH_LINK = re.compile(r'href="/detacheringen/(\d+)"')


def _blocks(web) -> dict[str, str]:
    page = web.get("/start")
    assert page.status_code == 200
    return {key: unescape(body) for key, body in BLOCK.findall(page.get_data(as_text=True))}


LIST_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)


def _marked_in_list(app, login, user) -> set[int]:
    """The match ids the match list marks "Jouw besluit is nodig", over every scope it offers."""
    web = app.test_client()
    login(web, user)
    marked: set[int] = set()
    for scope in ("mine", "organisation", "all"):
        page = web.get(f"/detacheringen?scope={scope}")
        if page.status_code == 400:  # a scope this person is not offered
            continue
        assert page.status_code == 200
        for row in LIST_ROW.findall(page.get_data(as_text=True)):
            if "Jouw besluit is nodig" in row:
                marked.update(int(i) for i in MATCH_LINK.findall(row))
    return marked


def _waiting(app, login, user) -> set[int]:
    """The match ids in the "Jouw besluit is nodig" block of ``user``'s start page."""
    web = app.test_client()
    login(web, user)
    return {int(i) for i in MATCH_LINK.findall(_blocks(web).get("decisions", ""))}


def test_the_start_page_lists_exactly_the_decisions_waiting_for_each_person(
    app, client, world, scene, api_token, login, in_arrangement
):
    """Per role, the decisions block holds exactly the matches that person can decide on now:
    first only the employee's; after the employee's approval the lending side (home HR, home
    line manager) and the borrowing side (job's HR, job's line manager); a decided party drops
    out. Coordinators, the proposer as such and a third organisation never appear."""
    meer = world.meer
    a = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    b = propose(
        client, api_token(meer.coordinator), capacity_id=scene.offer, job_id=scene.same_org_job
    )
    people = {
        "employee": meer.harderwijk.emp,
        "employee2": meer.harderwijk.emp2,
        "home_lead": meer.harderwijk.lead,
        "home_hr": meer.harderwijk.hr,
        "job_lead": meer.ermelo.lead,
        "job_hr": meer.ermelo.hr,
        "other_lead": meer.ermelo.lead_other,
        "coordinator": meer.coordinator,
        "third_hr": meer.zeewolde.hr,
    }

    def waiting() -> dict[str, set[int]]:
        found = {role: _waiting(app, login, user) for role, user in people.items()}
        # The match list marks exactly the same matches as the start page lists.
        for role, user in people.items():
            assert _marked_in_list(app, login, user) == found[role], role
        # One rule, two forms: the SQL clause agrees with decidable_now for every match.
        with in_arrangement(meer.arrangement.id) as s, app.test_request_context():
            from app.accounts.models import User
            from app.matches import access

            for role, person in people.items():
                user = s.get(User, person.id)
                by_rule = {
                    public_id(m) for m in s.scalars(select(Match)) if access.decidable_now(user, m)
                }
                by_sql = {
                    public_id("match", i)
                    for i in s.scalars(select(Match.id).where(access.decision_waiting_clause(user)))
                }
                assert by_rule == by_sql == found[role], role
        return found

    nobody = {role: set() for role in people}
    assert waiting() == {**nobody, "employee": {a}, "employee2": {b}}

    assert decide(client, api_token(meer.harderwijk.emp), a).status_code == 200
    sides = {"home_lead": {a}, "home_hr": {a}, "job_lead": {a}, "job_hr": {a}}
    assert waiting() == {**nobody, **sides, "employee2": {b}}

    assert decide(client, api_token(meer.harderwijk.hr), a, party="lending").status_code == 200
    assert decide(client, api_token(meer.harderwijk.emp2), b).status_code == 200
    assert waiting() == {
        **nobody,
        "home_lead": {b},  # emp2 is also this line manager's staff
        "home_hr": {b},
        "job_lead": {a, b},
        "job_hr": {a, b},
    }


def test_a_home_line_manager_start_page_is_the_same_before_consent(
    app, client, world, scene, api_token, login, in_arrangement
):
    """Byte for byte (CSRF normalised), the home line manager's start page does not change
    when their staff respond, offer hours ending soon, or are proposed for a job — until the
    employee approves the proposal; then it shows the decision for the lending side."""
    meer = world.meer
    web = app.test_client()
    login(web, meer.harderwijk.lead)
    before = normalise(web.get("/start").get_data(as_text=True))

    with in_arrangement(meer.arrangement.id) as s:
        job = make_job(s, meer.zeewolde.org, poster=meer.zeewolde.lead, title="Baliemedewerker")
        make_application(s, job.id, meer.harderwijk.emp2)
        make_offer(s, meer.harderwijk.emp, until=date.today() + timedelta(days=3))
        s.commit()
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    assert normalise(web.get("/start").get_data(as_text=True)) == before

    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    blocks = _blocks(web)
    assert set(blocks) == {"decisions"}
    assert MATCH_LINK.findall(blocks["decisions"]) == [str(match_id)]


def test_responses_expiring_jobs_waiting_proposals_and_an_ending_offer(
    app, client, world, scene, api_token, login, in_arrangement
):
    """The posting side sees the new response and its job that expires within a week; HR of
    both sides and the coordinator see a proposal the organisations have known of for more
    than a week (unless it waits for their own decision); the employee sees their offer end."""
    meer = world.meer
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    assert decide(client, api_token(meer.harderwijk.hr), match_id, party="lending").status_code
    with in_arrangement(meer.arrangement.id) as s:
        # The borrowing side has not decided yet: the match waits, known for ten days.
        # (computed in Python: SQLite's date arithmetic on a column is numeric)
        match = s.get(Match, key_of("match", match_id))
        match.employee_consented_at -= timedelta(days=10)
        s.flush()
        s.execute(
            update(Job)
            .where(Job.id == scene.keys.same_org_job)
            .values(expires_on=date.today() + timedelta(days=3))
        )
        other = make_job(s, meer.ermelo.org, department=meer.ermelo.team, title="Archivaris")
        make_application(s, other.id, meer.zeewolde.emp)
        make_offer(s, meer.zeewolde.emp2, until=date.today() + timedelta(days=5))
        s.commit()

    def blocks(user) -> dict[str, str]:
        web = app.test_client()
        login(web, user)
        return _blocks(web)

    lead = blocks(meer.ermelo.lead)
    assert "Emp Zeewolde reageerde op Archivaris" in lead["responses"]
    assert "Adviseur participatie" in lead["expiring"]
    assert MATCH_LINK.findall(lead["decisions"]) == [str(match_id)]
    assert "waiting" not in lead  # not HR or coordinator
    for user in (meer.harderwijk.hr, meer.coordinator):
        assert MATCH_LINK.findall(blocks(user).get("waiting", "")) == [str(match_id)], user.email
    job_hr = blocks(meer.ermelo.hr)  # waits for their own decision: listed there, once
    assert MATCH_LINK.findall(job_hr["decisions"]) == [str(match_id)]
    assert "waiting" not in job_hr
    assert "waiting" not in blocks(meer.zeewolde.hr)
    assert "expiring" not in blocks(meer.harderwijk.lead)
    assert "responses" not in blocks(meer.harderwijk.lead)
    offer = blocks(meer.zeewolde.emp2)
    assert set(offer) == {"offer"}
    assert "uur per week" in offer["offer"]
    assert "offer" not in blocks(meer.zeewolde.lead)  # the own line manager: nothing


def test_entry_points_are_few_and_each_address_once(app, world, login):
    """After what waits: a few entry points, then the rest folded away; no address twice."""
    for user in (world.meer.ermelo.hr, world.meer.coordinator, world.meer.ermelo.emp):
        web = app.test_client()
        login(web, user)
        html = web.get("/start").get_data(as_text=True)
        go = html[html.index('class="home-go"') :]
        go = go[: go.index("</section>")]
        first = go[: go.index("<details")] if "<details" in go else go
        hrefs = re.findall(r'href="([^"]+)"', go)
        assert len(hrefs) == len(set(hrefs)), (user.email, hrefs)
        assert 1 <= len(re.findall(r"<li>", first)) <= 6


def test_the_start_page_sends_the_same_queries_for_more_data(
    app, client, world, api_token, login, in_arrangement, count_queries
):
    """HR's start page sends as many SQL statements with 2 proposals and responses as with 14
    (each block is one query with a LIMIT, no query per row)."""
    meer = world.meer
    web = app.test_client()
    login(web, meer.ermelo.hr)
    counts = []
    for n in (2, 12):
        with in_arrangement(meer.arrangement.id) as s:
            for i in range(n):
                job = make_job(s, meer.ermelo.org, department=meer.ermelo.team, title=f"Klus {i}")
                job.expires_on = date.today() + timedelta(days=2)
                make_application(s, job.id, meer.harderwijk.emp)
            s.commit()
        web.get("/start")  # warm-up
        with count_queries() as statements:
            page = web.get("/start")
        assert page.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    blocks = _blocks(web)
    assert "(5+)" in blocks["responses"] and "(5+)" in blocks["expiring"]
    with in_arrangement(meer.arrangement.id) as s:
        assert s.query(Application).count() == 14


def test_the_start_page_asks_for_the_managed_departments_once(app, world, login, count_queries):
    """The page, its blocks and the menu share one answer to "which departments does this
    person manage" per request (app.policy.roles), and a person who manages none sends no
    query for their departments' names (issue 15: HR's start page at country scale)."""
    for user, manages in ((world.meer.ermelo.hr, False), (world.meer.ermelo.lead, True)):
        web = app.test_client()
        login(web, user)
        web.get("/start")  # warm-up
        with count_queries() as statements:
            page = web.get("/start")
        assert page.status_code == 200
        asked = [s for s in statements if "FROM department_managers" in s]
        named = [s for s in statements if "FROM departments" in s and "IN (" in s]
        assert len(asked) == 1, (user.email, asked)
        assert bool(named) == manages, (user.email, named)
