"""Participation figures: distinct people per group, small groups withheld with enough others
that nothing can be worked out from the totals; only for HR of the organisation and the
coordinators."""

from __future__ import annotations

from datetime import date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from app.pool.models import Application, CapacityOffer, Job
from app.reports.participation import Person, table
from tenants.models import Organisation

# --- the computation itself, on random organisations (the property test) -----------------------


@st.composite
def arrangements(draw):
    """Organisations with departments, people (some without a department), who offered and who
    responded, and each organisation's minimum group size."""
    people, k = [], {}
    for org_id in range(1, draw(st.integers(1, 4)) + 1):
        k[org_id] = draw(st.integers(3, 8))
        departments = [None, *range(org_id * 10, org_id * 10 + draw(st.integers(0, 5)))]
        for _ in range(draw(st.integers(0, 40))):
            people.append(Person(len(people) + 1, org_id, draw(st.sampled_from(departments))))
    ids = [p.id for p in people]
    offered = draw(st.sets(st.sampled_from(ids))) if ids else set()
    responded = draw(st.sets(st.sampled_from(ids))) if ids else set()
    return list(k), people, offered, responded, k


@settings(max_examples=300, deadline=None)
@given(data=arrangements())
def test_no_published_group_is_small_and_no_withheld_figure_can_be_worked_out(data):
    """Over random organisations: every published figure is right and belongs to a group of at
    least k people; every withheld group's figure keeps at least two possible values given the
    published total and the published groups (the bounds check of test_suppression.py)."""
    org_ids, people, offered, responded, k = data
    rows = table(org_ids, people, offered, responded, k)

    def members(org_id, whole, department_id):
        return [
            p.id
            for p in people
            if p.organisation_id == org_id and (whole or p.department_id == department_id)
        ]

    for org_id in org_ids:
        mine = [r for r in rows if r.organisation_id == org_id]
        total = next(r for r in mine if r.whole)
        groups = [r for r in mine if not r.whole]
        assert len({r.department_id for r in groups}) == len(groups)
        assert {r.department_id for r in groups} == {
            p.department_id for p in people if p.organisation_id == org_id
        }
        for row in mine:
            who = members(org_id, row.whole, row.department_id)
            if not row.suppressed:
                assert len(who) >= k[org_id]
                assert row.offers == sum(1 for i in who if i in offered)
                assert row.applications == sum(1 for i in who if i in responded)
        for measure in ("offers", "applications"):
            hidden = [r for r in groups if r.suppressed]
            for row in hidden:
                size = len(members(org_id, False, row.department_id))
                low, high = 0, size
                if not total.suppressed:
                    remainder = getattr(total, measure) - sum(
                        getattr(r, measure) for r in groups if not r.suppressed
                    )
                    others = sum(
                        len(members(org_id, False, r.department_id)) for r in hidden if r is not row
                    )
                    low, high = max(low, remainder - others), min(high, remainder)
                assert low < high, (org_id, row, measure)


def test_the_organisation_is_the_sum_of_its_groups():
    """Staff without a department are a group of their own, so the groups add up to the total."""
    people = [Person(i, 1, 10 if i <= 5 else None) for i in range(1, 11)]
    rows = table([1], people, {1, 2, 6}, {3, 7, 8}, {1: 5})
    by_group = {(r.whole, r.department_id): (r.offers, r.applications) for r in rows}
    assert by_group == {(True, None): (3, 3), (False, 10): (2, 1), (False, None): (1, 2)}


# --- through the database and the API -----------------------------------------------------------


def _seed_participation(world, in_arrangement):
    """Ermelo (min. group size 3): team = lead, emp, emp2; other = lead_other, emp_other;
    no department = hr, coordinator. In the period emp, emp2 and emp_other offered, emp and hr
    responded (emp twice: one person). Harderwijk (size 5): nobody did anything in the period
    (emp offered in 2022)."""
    meer = world.meer
    E, H = meer.ermelo, meer.harderwijk
    with in_arrangement(meer.arrangement.id) as s:
        s.get(Organisation, E.org.id).report_min_group_size = 3
        in_period = datetime.combine(date(2023, 4, 3), time(12))

        def offer(person, when=in_period):
            s.add(
                CapacityOffer(
                    user_id=person.id,
                    organisation_id=person.organisation_id,
                    hours_per_week=8,
                    available_from=when.date(),
                    created_at=when,
                )
            )

        for person in (E.emp, E.emp2, E.emp_other):
            offer(person)
        offer(H.emp, datetime(2022, 5, 1, 12))
        jobs = []
        for title in ("Eerste", "Tweede"):
            job = Job(
                organisation_id=H.org.id,
                title=title,
                hours_per_week=8,
                start_date=date(2023, 5, 1),
                end_date=date(2023, 6, 1),
            )
            s.add(job)
            s.flush()
            jobs.append(job)
        for person, job in ((E.emp, jobs[0]), (E.emp, jobs[1]), (E.hr, jobs[0])):
            s.add(
                Application(
                    job_id=job.id,
                    user_id=person.id,
                    organisation_id=person.organisation_id,
                    created_at=in_period,
                )
            )
        s.commit()


ERMELO = [
    {"organisation": "ermelo", "department": None, "offers": 3, "applications": 2},
    {"organisation": "ermelo", "department": "other", "offers": None, "applications": None},
    {"organisation": "ermelo", "department": "team", "offers": 2, "applications": 1},
    {
        "organisation": "ermelo",
        "department": "_zonder_afdeling",
        "offers": None,
        "applications": None,
    },
]
# Harderwijk: groups of 3, 2 and 1 under 5 people; the total of 6 alone would say "0 of each",
# and so would every group: withheld too.
HARDERWIJK = [
    {"organisation": "harderwijk", "department": d, "offers": None, "applications": None}
    for d in (None, "other", "team", "_zonder_afdeling")
]


def test_participation_through_the_api(app, world, in_arrangement, api_token):
    """The coordinator gets every organisation, HR its own only; small groups are null."""
    _seed_participation(world, in_arrangement)
    client = app.test_client()
    query = "/api/v1/reports/participation?from=2023-01-01&to=2023-12-31"
    body = client.get(query, headers=api_token(world.meer.coordinator)).get_json()
    assert body["items"][:8] == ERMELO + HARDERWIJK
    assert {i["organisation"] for i in body["items"]} == {"ermelo", "harderwijk", "zeewolde"}
    body = client.get(query, headers=api_token(world.meer.ermelo.hr)).get_json()
    assert body["items"] == ERMELO
    body = client.get(query, headers=api_token(world.meer.harderwijk.hr)).get_json()
    assert body["items"] == HARDERWIJK


def test_participation_page_and_export_agree(app, world, in_arrangement, login):
    """The page and both exports show the same figures, "afgeschermd" where withheld."""
    from tests.reports.reading import csv_rows, page_tables, xlsx_rows

    _seed_participation(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.ermelo.hr)
    q = "van=2023-01-01&tot=2023-12-31"
    page = page_tables(client.get(f"/rapportages/deelname?{q}").get_data(as_text=True))
    shown = page["Deelname: mensen met aanbod en mensen met een reactie"]
    expected = [
        ["Organisatie", "Afdeling", "Mensen met aanbod", "Mensen met een reactie"],
        ["Gemeente Ermelo", "Hele organisatie", "3", "2"],
        ["Gemeente Ermelo", "Team Beleid", "afgeschermd", "afgeschermd"],
        ["Gemeente Ermelo", "Team Uitvoering", "2", "1"],
        ["Gemeente Ermelo", "Zonder afdeling", "afgeschermd", "afgeschermd"],
    ]
    assert shown == expected
    assert csv_rows(client.get(f"/rapportages/deelname/export.csv?{q}").data) == expected
    xlsx = xlsx_rows(client.get(f"/rapportages/deelname/export.xlsx?{q}").data)
    assert [[str(v) for v in row] for row in xlsx] == expected
