"""Who reaches the reports: coordinators (their arrangement) and HR (its organisation); line
managers and employees get 403 and no figure anywhere; another arrangement sees nothing."""

from __future__ import annotations

from tests.reports.seed import seed

PAGES = (
    "/rapportages?van=2023-03-01&tot=2023-06-30",
    "/rapportages/deelname?van=2023-03-01&tot=2023-06-30",
    "/rapportages/saldo/export.csv?van=2023-03-01&tot=2023-06-30",
    "/rapportages/wachtende-voorstellen/export.xlsx?van=2023-03-01&tot=2023-06-30",
    "/rapportages/deelname/export.csv?van=2023-03-01&tot=2023-06-30",
)
API = (
    "/api/v1/reports/placements?from=2023-03-01&to=2023-06-30",
    "/api/v1/reports/participation?from=2023-03-01&to=2023-06-30",
)
# Figures of the seeded arrangement that must not appear in a refusal.
FIGURES = ("129,1", "318,9", "Klus J2", "Open O2", "Wacht op")


def test_line_managers_and_employees_get_403_and_no_counts(
    app, world, in_arrangement, login, api_token
):
    """A line manager (whose employee a proposal waits for) and an employee: 403 on every page,
    export and API call, no figure in the answer, no menu item or home card for reports."""
    seed(world, in_arrangement)
    ermelo = world.meer.ermelo
    for person in (ermelo.lead, ermelo.lead_other, ermelo.emp):
        client = app.test_client()
        login(client, person)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 403, (person.email, url)
            body = response.get_data(as_text=True)
            assert not any(figure in body for figure in FIGURES), (person.email, url)
        assert client.post("/rapportages/extern-tarief", data={"rate": "1"}).status_code == 403
        home = client.get("/start").get_data(as_text=True)
        assert "/rapportages" not in home
        headers = api_token(person)
        for url in API:
            response = app.test_client().get(url, headers=headers)
            assert response.status_code == 403, (person.email, url)
            assert {"type", "title", "status", "detail"} <= set(response.get_json())


def test_report_links_for_coordinators_and_hr(app, world, login):
    """Coordinators and HR find the reports in the menu and on their home page."""
    for person in (world.meer.coordinator, world.meer.ermelo.hr):
        client = app.test_client()
        login(client, person)
        home = client.get("/start").get_data(as_text=True)
        assert 'href="/rapportages"' in home
        assert 'href="/rapportages/deelname"' in home


def test_another_arrangement_sees_nothing_of_this_one(app, world, in_arrangement, login, api_token):
    """HR and the coordinator of "elders" get their own (empty) arrangement: none of meer's
    organisations, jobs or figures on the pages, in the exports or from the API."""
    seed(world, in_arrangement)
    secrets = [
        "Gemeente Ermelo",
        "Gemeente Harderwijk",
        "Gemeente Zeewolde",
        "Klus J",
        "Open O",
        "ermelo",
        "harderwijk",
        "zeewolde",
    ]
    for outsider in (world.elders.coordinator, world.elders.andere.hr):
        client = app.test_client()
        login(client, outsider)
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.data.decode("utf-8", "replace")
            for secret in secrets:
                assert secret not in body, (outsider.email, url, secret)
        headers = api_token(outsider)
        for url in API:
            body = app.test_client().get(url, headers=headers).get_json()
            orgs = {i["organisation"] for i in body.get("balance", body["items"])}
            orgs |= {i.get("from") for i in body["items"] if "from" in i}
            assert orgs <= {"andere"}, (outsider.email, url, body)
    # The outsider's own rate changes only the outsider's own arrangement.
    client = app.test_client()
    login(client, world.elders.coordinator)
    assert client.post("/rapportages/extern-tarief", data={"rate": "10"}).status_code == 302
    with in_arrangement(world.meer.arrangement.id) as s:
        from tenants.models import Arrangement

        assert str(s.get(Arrangement, world.meer.arrangement.id).external_hourly_rate) == "95.00"
        assert str(s.get(Arrangement, world.elders.arrangement.id).external_hourly_rate) == "10.00"


def test_coordinators_do_not_count_offers_their_privacy_setting_hides(app, world, in_arrangement):
    """A proposal made from a capacity offer whose home organisation shows offers to HR only:
    before the employee approved, the coordinator's waiting count leaves it out (the match is a
    404 for them too); HR of the home organisation counts it."""
    from datetime import date, timedelta

    from app.matches.models import Match
    from app.pool.models import CapacityOffer, Job
    from tenants.models import Organisation

    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        s.get(Organisation, meer.ermelo.org.id).capacity_visibility = "hr"
        job = Job(
            organisation_id=meer.harderwijk.org.id,
            title="Klus H",
            hours_per_week=8,
            start_date=date.today(),
            end_date=date.today() + timedelta(days=30),
            status="open",
        )
        offer = CapacityOffer(
            user_id=meer.ermelo.emp.id,
            organisation_id=meer.ermelo.org.id,
            hours_per_week=8,
            available_from=date.today(),
        )
        s.add_all([job, offer])
        s.flush()
        s.add(
            Match(
                job_id=job.id,
                employee_id=meer.ermelo.emp.id,
                capacity_id=offer.id,
                lending_organisation_id=meer.ermelo.org.id,
                borrowing_organisation_id=meer.harderwijk.org.id,
                hours_per_week=8,
                start_date=date.today(),
                end_date=date.today() + timedelta(days=30),
                proposed_by_id=meer.ermelo.hr.id,
            )
        )
        s.commit()
    from app.reports.operations import placements_report
    from app.reports.period import Period

    with app.app_context():
        from app.accounts.models import User
        from tenants.context import use_arrangement

        with use_arrangement(meer.arrangement.id):
            from app.extensions import db

            period = Period.year_of(date.today())
            coordinator = db.session.get(User, meer.coordinator.id)
            hr = db.session.get(User, meer.ermelo.hr.id)
            assert placements_report(coordinator, period).waiting_counts["employee"] == 0
            assert placements_report(hr, period).waiting_counts["employee"] == 1
            db.session.rollback()
