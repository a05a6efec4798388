"""The coordinator's figures on a seeded arrangement (tests/reports/seed.py) equal figures worked
out by hand here; HR sees the same report restricted to its own organisation."""

from __future__ import annotations

from decimal import Decimal

from tests.api_helpers import problem_fields
from tests.reports.reading import csv_rows, number, page_tables
from tests.reports.seed import seed

Q = "from=2023-03-01&to=2023-06-30"
PAGE_Q = "van=2023-03-01&tot=2023-06-30"

# --- worked out by hand from the seed's comments (1 March – 30 June 2023) -----------------------
# Hours in the period = hours per week × shared calendar days / 7:
#   M1 H→E 16 × 14 (1–14 Mar) / 7        = 32
#   M2 E→H  8 × 113 (10 Mar–30 Jun) / 7  = 129.142… (the agreement's 8 h, not the pending 12)
#   M3 Z→Z 20 × 28 (7 Apr–4 May) / 7     = 80
#   M4 H→Z 10 × 28 (14 Apr–11 May, ended) / 7 = 40
#   M5 Z→E 24 × 11 (20–30 Jun) / 7       = 37.714…
#   M7 E→Z starts 1 Aug: not in the period
MATRIX = {
    ("harderwijk", "ermelo"): (1, 32.0),
    ("ermelo", "harderwijk"): (1, 129.1),
    ("zeewolde", "zeewolde"): (1, 80.0),
    ("harderwijk", "zeewolde"): (1, 40.0),
    ("zeewolde", "ermelo"): (1, 37.7),
}
# Balance across organisations only (M3 inside Zeewolde is neither lent nor borrowed):
#   E lent M2 129.14, borrowed M1 32 + M5 37.71 = 69.71
#   H lent M1 32 + M4 40 = 72, borrowed M2 129.14
#   Z lent M5 37.71, borrowed M4 40
BALANCE = {
    "ermelo": (129.1, 69.7),
    "harderwijk": (72.0, 129.1),
    "zeewolde": (37.7, 40.0),
}
# Agreed in the period: M2 4 days after J2 was posted, M3 5, M4 12, M5 125 (10 Feb → 15 Jun).
# Sorted 4, 5, 12, 125: median (5 + 12) / 2 = 8.5; 75th percentile at 0.75 × 3 = 2.25:
# 12 + 0.25 × (125 − 12) = 40.25 → 40.3.
# Fill rate: J2 1 place (M2), J3 3 places (M3, M4, M7), J5 1 place (none); J4 is a draft and J1
# was posted before the period: 4 of 5 = 80 %.
# Hours in total: 32 + 80 + 40 + 904/7 + 264/7 = 318.857… → 318.9; × € 95 = € 30,295.50.
KEY_FIGURES = [
    Decimal(4),
    Decimal("8.5"),
    Decimal("40.3"),
    Decimal(5),
    Decimal(4),
    Decimal(80),
    Decimal("318.9"),
    Decimal(95),
    Decimal("30295.50"),
]
# Open today: O1 (2 days), O2 (8), O3 (30), O4 (31), O5 (200); O6 expired and O7 a draft.
OPEN_JOBS = [1, 2, 1, 1]
# Waiting: W1 employee + borrowing, W2 lending + borrowing, W3 borrowing, W4 employee + borrowing.
WAITING = [2, 1, 4, 4]

# Ermelo's HR: the rows that involve Ermelo.
ERMELO_MATRIX = {k: v for k, v in MATRIX.items() if "ermelo" in k}
# Agreed in the period involving Ermelo: M2 (4) and M5 (125): median 64.5; the 75th percentile
# at 0.75 × 1: 4 + 0.75 × 121 = 94.75 → 94.8. Ermelo's jobs posted in the period: J5 (1 place,
# not filled): 0 %. Hours Ermelo borrowed: M1 32 + M5 37.71 = 69.7 × € 95 = € 6,621.50.
ERMELO_KEY_FIGURES = [
    Decimal(2),
    Decimal("64.5"),
    Decimal("94.8"),
    Decimal(1),
    Decimal(0),
    Decimal(0),
    Decimal("129.1"),  # lent to other organisations: as in the balance table (issue 13, 9)
    Decimal("69.7"),  # worked at Ermelo (borrowed and internal): the estimate's base
    Decimal(95),
    Decimal("6621.50"),
]
ERMELO_OPEN_JOBS = [1, 0, 1, 0]  # O1 and O4
# W2, W4: employee W4, lending W2, borrowing W2 + W4. W1 waits for the employee's own consent, so
# only the employee and its proposer (the coordinator) know of it (issue 10, finding 14); W3 is
# Harderwijk's own.
ERMELO_WAITING = [1, 1, 2, 2]


def _placements(client, headers, extra=""):
    response = client.get(f"/api/v1/reports/placements?{Q}{extra}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    items = {(i["from"], i["to"]): (i["placements"], i["hours"]) for i in body["items"]}
    balance = {b["organisation"]: (b["hoursLent"], b["hoursBorrowed"]) for b in body["balance"]}
    return items, balance


def _column(client, table: str, query: str = PAGE_Q) -> list[Decimal]:
    response = client.get(f"/rapportages/{table}/export.csv?{query}")
    assert response.status_code == 200
    return [number(row[-1]) for row in csv_rows(response.data)[1:]]


def test_coordinator_figures_match_hand_computed(app, world, in_arrangement, login, api_token):
    """Matrix, balances, time to agreement, fill rate, hiring avoided, open jobs by age and
    waiting proposals equal the figures worked out by hand from the seed."""
    seed(world, in_arrangement)
    client = app.test_client()
    items, balance = _placements(client, api_token(world.meer.coordinator))
    assert items == MATRIX
    assert balance == BALANCE
    login(client, world.meer.coordinator)
    assert _column(client, "kengetallen") == KEY_FIGURES
    assert _column(client, "open-klussen") == OPEN_JOBS
    assert _column(client, "wachtende-voorstellen") == WAITING


def test_the_page_shows_the_same_figures(app, world, in_arrangement, login):
    """The coordinator's page shows the hand-computed figures in its tables."""
    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.coordinator)
    response = client.get(f"/rapportages?{PAGE_Q}")
    assert response.status_code == 200
    shown = page_tables(response.get_data(as_text=True))
    assert [number(row[-1]) for row in shown["Kengetallen"][1:]] == KEY_FIGURES
    matrix = shown["Detacheringen van organisatie naar organisatie"][1:]
    assert {(r[0], r[1]): (int(r[2]), float(number(r[3]))) for r in matrix} == {
        (f"Gemeente {a.title()}", f"Gemeente {b.title()}"): v for (a, b), v in MATRIX.items()
    }


def test_hr_sees_only_rows_involving_its_own_organisation(
    app, world, in_arrangement, login, api_token
):
    """HR of Ermelo: matrix rows with Ermelo on either side, only Ermelo's balance, and the key
    figures, open jobs and waiting proposals of Ermelo; Harderwijk's HR likewise for its own."""
    seed(world, in_arrangement)
    client = app.test_client()
    items, balance = _placements(client, api_token(world.meer.ermelo.hr))
    assert items == ERMELO_MATRIX
    assert balance == {"ermelo": BALANCE["ermelo"]}
    items, balance = _placements(client, api_token(world.meer.harderwijk.hr))
    assert items == {k: v for k, v in MATRIX.items() if "harderwijk" in k}
    assert balance == {"harderwijk": BALANCE["harderwijk"]}

    login(client, world.meer.ermelo.hr)
    assert _column(client, "kengetallen") == ERMELO_KEY_FIGURES
    assert _column(client, "open-klussen") == ERMELO_OPEN_JOBS
    assert _column(client, "wachtende-voorstellen") == ERMELO_WAITING
    page = client.get(f"/rapportages?{PAGE_Q}").get_data(as_text=True)
    assert "Klus J3" not in page and "Open O5" not in page  # Zeewolde's and Harderwijk's own


def test_a_coordinator_can_look_at_one_organisation(app, world, in_arrangement, login, api_token):
    """?organisation= gives the coordinator what that organisation's HR sees."""
    seed(world, in_arrangement)
    client = app.test_client()
    items, balance = _placements(client, api_token(world.meer.coordinator), "&organisation=ermelo")
    assert items == ERMELO_MATRIX and balance == {"ermelo": BALANCE["ermelo"]}
    login(client, world.meer.coordinator)
    query = f"{PAGE_Q}&organisatie=ermelo"
    assert _column(client, "kengetallen", query) == ERMELO_KEY_FIGURES


def test_hr_cannot_ask_for_another_organisation(app, world, in_arrangement, login, api_token):
    """Another organisation's slug is a 404 for HR, on the page, the export and the API."""
    client = app.test_client()
    headers = api_token(world.meer.ermelo.hr)
    for path in ("placements", "participation"):
        response = client.get(f"/api/v1/reports/{path}?organisation=harderwijk", headers=headers)
        assert response.status_code == 404
    login(client, world.meer.ermelo.hr)
    for url in (
        "/rapportages?organisatie=harderwijk",
        "/rapportages/deelname?organisatie=harderwijk",
        "/rapportages/saldo/export.csv?organisatie=harderwijk",
    ):
        assert client.get(url).status_code == 404, url


def test_the_coordinator_sets_the_external_rate(app, world, in_arrangement, login):
    """The rate on the page changes the estimate (hours as shown × rate); HR may not set it."""
    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.ermelo.hr)
    assert client.post("/rapportages/extern-tarief", data={"rate": "1"}).status_code == 403
    login(client, world.meer.coordinator)
    response = client.post(
        "/rapportages/extern-tarief", data={"rate": "100", "van": "2023-03-01", "tot": "2023-06-30"}
    )
    assert response.status_code == 302
    assert "van=2023-03-01" in response.headers["Location"]
    figures = _column(client, "kengetallen")
    assert figures[-2:] == [Decimal(100), Decimal("31890.00")]  # 318.9 × 100
    for bad in ("-5", "NaN", "sNaN", "Infinity", "1e400", "tien", ""):
        response = client.post("/rapportages/extern-tarief", data={"rate": bad})
        assert response.status_code == 400, bad
    assert _column(client, "kengetallen")[-2] == Decimal(100)
    assert 'value="100,00"' in client.get("/rapportages").get_data(as_text=True)
    client.post("/rapportages/extern-tarief", data={"rate": "€ 1.087,50"})  # as people type it
    assert _column(client, "kengetallen")[-2] == Decimal("1087.50")


def test_bad_periods_are_400_with_the_field(app, world, login, api_token):
    """Unreadable dates and a start after the end: 400 naming the field; nothing computed."""
    client = app.test_client()
    headers = api_token(world.meer.coordinator)
    cases = {
        "from=2023-13-01": "from",
        "to=gisteren": "to",
        "from=2023-06-30&to=2023-03-01": "from",
        "from=1800-01-01": "from",
        "onbekend=1": "onbekend",
    }
    for query, field in cases.items():
        for path in ("placements", "participation"):
            response = client.get(f"/api/v1/reports/{path}?{query}", headers=headers)
            assert response.status_code == 400, (path, query)
            assert field in problem_fields(response.get_json()), (path, query)
    login(client, world.meer.coordinator)
    response = client.get("/rapportages?van=2023-06-30&tot=2023-03-01")
    assert response.status_code == 400
    assert "De begindatum ligt na de einddatum." in response.get_data(as_text=True)
    assert client.get("/rapportages/deelname?van=morgen").status_code == 400
    assert client.get("/rapportages/saldo/export.csv?van=morgen").status_code == 400


def test_the_default_period_is_this_year(app, world, api_token):
    """Without dates the report covers the current calendar year."""
    from datetime import date

    client = app.test_client()
    body = client.get(
        "/api/v1/reports/placements", headers=api_token(world.meer.coordinator)
    ).get_json()
    year = date.today().year
    assert (body["from"], body["to"]) == (f"{year}-01-01", f"{year}-12-31")


def test_the_hours_figure_agrees_with_the_balance(app, world, in_arrangement, login):
    """For one organisation the key figures name the hours lent (equal to the balance table's
    "lent") and the hours worked there; no lone "Uren gedetacheerd" reading 0 next to a table
    of hours lent. The arrangement's page keeps the one total."""
    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.ermelo.hr)
    page = client.get(f"/rapportages?{PAGE_Q}").get_data(as_text=True)
    assert "Uren uitgeleend aan andere organisaties in de periode" in page
    assert "Uren gedetacheerd in de periode" not in page
    login(client, world.meer.coordinator)
    page = client.get(f"/rapportages?{PAGE_Q}").get_data(as_text=True)
    assert "Uren gedetacheerd in de periode" in page


def test_a_placement_counts_its_latest_agreement_version_once(world, in_arrangement):
    """The facts read each placement's agreement in force (its latest version) in the same
    statement as the placements: one fact per placement, with the newest version's terms."""
    from datetime import date

    from app.matches.models import Agreement
    from app.reports.placements import placement_facts

    ids = seed(world, in_arrangement)
    newer = {"hours_per_week": 12, "start_date": "2023-03-10", "end_date": "2023-06-30"}
    with in_arrangement(world.meer.arrangement.id) as s:
        s.add(Agreement(match_id=ids.m2, version=2, terms_version=2, status="ready", terms=newer))
        s.flush()
        facts = [
            (f.hours_per_week, f.start, f.end) for f in placement_facts() if f.match_id == ids.m2
        ]
        everyone = placement_facts()
    assert facts == [(12, date(2023, 3, 10), date(2023, 6, 30))]
    assert len({f.match_id for f in everyone if not f.return_leg}) == len(
        [f for f in everyone if not f.return_leg]
    )
