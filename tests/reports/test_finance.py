"""The finance statement (issue 14) equals figures worked out by hand here, from the comments,
not by the code: mixed cost bases and VAT treatments, realised and agreed hours, placements that
start and end in the middle of the month, an old agreement snapshot and a pending change of
terms. HR sees the pairs involving its own organisation; the exports hold the same figures.

Arrangement "meer": ermelo E, harderwijk H, zeewolde Z. The month under test is March 2023.
Working days (Monday–Friday) of March 2023: 1 March is a Wednesday → 1–3 (3), 6–10 (5),
13–17 (5), 20–24 (5), 27–31 (5) = 23. February 2023: 1–3 (3), 6–10, 13–17, 20–24 (15),
27–28 (2) = 20. April 2023 (1 April a Saturday): 3–7, 10–14, 17–21, 24–28 = 20.

Placements (agreement in force):
  P1 H.emp → E job, 16 h/wk, 2023-02-01..2023-06-30, employer costs € 48.37/h, exempt
     (cost-sharing). March not confirmed: 16 × 23 / 5 = 73.6 h; 73.6 × 48.37 = 3,560.032
     → € 3,560.03, VAT 0. (February confirmed as 60 h: must not leak into March.)
  P2 E.emp → H job, 8 h/wk, 2023-03-15..2023-12-31 (starts on a Wednesday mid-month), fixed
     rate € 62.50, 21 % VAT. A change to 40 h at € 99 waits for approval (not in force).
     Agreed March: 15–17 (3) + 20–24 (5) + 27–31 (5) = 13 days → 8 × 13 / 5 = 20.8 h; but the
     borrowing side confirmed 19.25 h: 19.25 × 62.50 = 1,203.125 → € 1,203.13;
     VAT 0.21 × 1,203.13 = 252.6573 → € 252.66; total € 1,455.79.
     April (not confirmed): 8 × 20 / 5 = 32 h → € 2,000.00, VAT € 420.00.
  P3 Z.emp → E job, 12 h/wk, 2023-01-02..2023-03-10 (ends on a Friday mid-month), € 55.55,
     21 % VAT. March: 1–3 (3) + 6–10 (5) = 8 days → 12 × 8 / 5 = 19.2 h; 19.2 × 55.55 =
     € 1,066.56; VAT 223.9776 → € 223.98; total € 1,290.54.
  P4 H.emp2 → E job, 20 h/wk, 2023-03-01..2023-05-31, no charge: 20 × 23 / 5 = 92 h, € 0.
  P5 Z.emp2 → Z job: inside one organisation, not on the statement.
  P6 E.emp2 → H job, 10 h/wk, 2023-03-20..2023-04-30, an agreement from before issue 14
     (cost_recharge hourly, € 40.00, no cost basis or VAT code: read as a fixed rate with 21 %
     VAT), ended on 2023-03-24: 20–24 March = 5 days → 10 × 5 / 5 = 10 h; € 400.00, VAT
     € 84.00; total € 484.00.
  P7 Z.emp_other → H job, 2023-02-01..2023-02-28: nothing in March.

Pairs in March (lending → borrowing: the borrower owes):
  H → E: P1 + P4: 165.6 h, € 3,560.03, VAT 0, total € 3,560.03
  E → H: P2 + P6: 29.25 h, € 1,603.13, VAT € 336.66, total € 1,939.79
  Z → E: P3: 19.2 h, € 1,066.56, VAT € 223.98, total € 1,290.54
All: € 6,229.72 + VAT € 560.64 = € 6,790.36.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.matches.followup import RealisedHours
from app.matches.models import Agreement
from tests.ids import api_id, key_of
from tests.reports.reading import csv_rows, number, page_tables, xlsx_rows
from tests.reports.seed import _job, _match, noon

D = Decimal

PAIRS = {
    ("harderwijk", "ermelo"): (D("165.60"), D("3560.03"), D("0.00"), D("3560.03")),
    ("ermelo", "harderwijk"): (D("29.25"), D("1603.13"), D("336.66"), D("1939.79")),
    ("zeewolde", "ermelo"): (D("19.20"), D("1066.56"), D("223.98"), D("1290.54")),
}
TOTALS = (D("6229.72"), D("560.64"), D("6790.36"))


def _terms(match, **terms):
    """Give a seeded match's agreement the money terms of its snapshot."""
    agreement = match.agreements[0] if match.agreements else None
    assert isinstance(agreement, Agreement)
    agreement.terms = {**agreement.terms, **terms}


def seed_finance(world, in_arrangement, p2_march: Decimal | None = None):
    """The placements above; ``p2_march``: P2's March hours, confirmed straight away."""
    meer = world.meer
    E, H, Z = meer.ermelo, meer.harderwijk, meer.zeewolde
    d = date
    with in_arrangement(meer.arrangement.id) as s:
        je = _job(s, E.org, "Klus Ermelo", 5, d(2022, 12, 1))
        jh = _job(s, H.org, "Klus Harderwijk", 5, d(2022, 12, 1))
        jz = _job(s, Z.org, "Klus Zeewolde", 1, d(2022, 12, 1))
        paid = {"cost_recharge": "hourly"}
        p1 = _match(
            s,
            je,
            H.emp,
            E.org,
            16,
            d(2023, 2, 1),
            d(2023, 6, 30),
            "active",
            d(2023, 1, 20),
            cost_recharge="hourly",
            cost_basis="employer_costs",
            hourly_rate=D("48.37"),
            vat_code="exempt_cost_sharing",
        )
        _terms(
            p1,
            **paid,
            cost_basis="employer_costs",
            hourly_rate="48.37",
            vat_code="exempt_cost_sharing",
            vat_treatment="verdeelsleutel GR 2023",
        )
        p2 = _match(
            s,
            jh,
            E.emp,
            H.org,
            8,
            d(2023, 3, 15),
            d(2023, 12, 31),
            "active",
            d(2023, 3, 1),
            cost_recharge="hourly",
            cost_basis="hourly_rate",
            hourly_rate=D("62.50"),
            vat_code="vat_21",
        )
        _terms(p2, **paid, cost_basis="hourly_rate", hourly_rate="62.50", vat_code="vat_21")
        # The pending change: the match row, not the agreement.
        p2.hours_per_week, p2.hourly_rate, p2.terms_version = 40, D("99.00"), 2
        p3 = _match(
            s,
            je,
            Z.emp,
            E.org,
            12,
            d(2023, 1, 2),
            d(2023, 3, 10),
            "completed",
            d(2022, 12, 20),
            cost_recharge="hourly",
            cost_basis="hourly_rate",
            hourly_rate=D("55.55"),
            vat_code="vat_21",
        )
        _terms(p3, **paid, cost_basis="hourly_rate", hourly_rate="55.55", vat_code="vat_21")
        p4 = _match(
            s, je, H.emp2, E.org, 20, d(2023, 3, 1), d(2023, 5, 31), "active", d(2023, 2, 20)
        )
        _terms(p4, cost_recharge="none", cost_basis="none", vat_code="no_fee")
        p5 = _match(
            s,
            jz,
            Z.emp2,
            Z.org,
            30,
            d(2023, 1, 1),
            d(2023, 12, 31),
            "active",
            d(2022, 12, 20),
            cost_recharge="hourly",
            cost_basis="hourly_rate",
            hourly_rate=D("70.00"),
            vat_code="vat_21",
        )
        _terms(p5, **paid, cost_basis="hourly_rate", hourly_rate="70.00", vat_code="vat_21")
        p6 = _match(
            s,
            jh,
            E.emp2,
            H.org,
            10,
            d(2023, 3, 20),
            d(2023, 4, 30),
            "ended",
            d(2023, 3, 10),
            ended_at=noon(d(2023, 3, 24)),
            cost_recharge="hourly",
            cost_basis="hourly_rate",
            hourly_rate=D("40.00"),
            vat_code="vat_21",
        )
        _terms(p6, **paid, hourly_rate="40.00")  # the old snapshot: no cost_basis, no vat_code
        p7 = _match(
            s,
            jh,
            Z.emp_other,
            H.org,
            4,
            d(2023, 2, 1),
            d(2023, 2, 28),
            "completed",
            d(2023, 1, 25),
            cost_recharge="hourly",
            cost_basis="hourly_rate",
            hourly_rate=D("30.00"),
            vat_code="vat_21",
        )
        _terms(p7, **paid, cost_basis="hourly_rate", hourly_rate="30.00", vat_code="vat_21")
        s.add(RealisedHours(match_id=p1.id, month=d(2023, 2, 1), hours=D("60.00")))
        if p2_march is not None:
            s.add(RealisedHours(match_id=p2.id, month=d(2023, 3, 1), hours=p2_march))
        s.commit()
        return {
            name: m.id
            for name, m in zip(
                ("p1", "p2", "p3", "p4", "p5", "p6", "p7"),
                (p1, p2, p3, p4, p5, p6, p7),
                strict=True,
            )
        }


def _statement(client, headers, query="month=2023-03"):
    response = client.get(f"/api/v1/reports/finance?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _pairs(body) -> dict:
    return {
        (p["lending"], p["borrowing"]): (D(p["hours"]), D(p["amount"]), D(p["vat"]), D(p["total"]))
        for p in body["pairs"]
    }


def test_statement_equals_the_hand_computation(app, world, in_arrangement, login, api_token):
    ids = seed_finance(world, in_arrangement)
    meer = world.meer
    client = app.test_client()

    # The borrowing side (Harderwijk's HR) confirms P2's March hours through the form.
    login(client, meer.harderwijk.hr)
    page = client.get(f"/detacheringen/{api_id('match', ids['p2'])}/uren")
    assert page.status_code == 200
    assert 'value="20,8"' in page.get_data(as_text=True)  # prefilled with the agreed hours
    response = client.post(
        f"/detacheringen/{api_id('match', ids['p2'])}/uren",
        data={"month": "2023-03", "hours": "19,25"},
    )
    assert response.status_code == 302

    coordinator = api_token(meer.coordinator)
    body = _statement(client, coordinator)
    assert _pairs(body) == PAIRS
    assert (D(body["amount"]), D(body["vat"]), D(body["total"])) == TOTALS
    lines = {
        key_of("match", line["matchId"]): line for pair in body["pairs"] for line in pair["lines"]
    }
    assert set(lines) == {ids["p1"], ids["p2"], ids["p3"], ids["p4"], ids["p6"]}
    p2 = lines[ids["p2"]]
    assert (p2["hours"], p2["hoursSource"], p2["rate"], p2["amount"], p2["vat"], p2["total"]) == (
        "19.25",
        "realised",
        "62.50",
        "1203.13",
        "252.66",
        "1455.79",
    )
    p1 = lines[ids["p1"]]
    assert (p1["costBasis"], p1["vatCode"], p1["hours"], p1["hoursSource"], p1["amount"]) == (
        "employer_costs",
        "exempt_cost_sharing",
        "73.60",
        "agreed",
        "3560.03",
    )
    assert p1["vatReason"] == "verdeelsleutel GR 2023"
    assert (lines[ids["p3"]]["hours"], lines[ids["p3"]]["vat"]) == ("19.20", "223.98")
    assert (lines[ids["p4"]]["costBasis"], lines[ids["p4"]]["amount"]) == ("none", "0.00")
    p6 = lines[ids["p6"]]
    assert (p6["costBasis"], p6["vatCode"], p6["hours"], p6["total"]) == (
        "hourly_rate",
        "vat_21",
        "10.00",
        "484.00",
    )

    # April: P2 unconfirmed, 32 agreed hours; February: P1's confirmed 60 h, P7 runs.
    april = {
        key_of("match", ln["matchId"]): ln
        for p in _statement(client, coordinator, "month=2023-04")["pairs"]
        for ln in p["lines"]
    }
    assert (april[ids["p2"]]["hours"], april[ids["p2"]]["amount"]) == ("32.00", "2000.00")
    assert april[ids["p2"]]["vat"] == "420.00"
    february = {
        key_of("match", ln["matchId"]): ln
        for p in _statement(client, coordinator, "month=2023-02")["pairs"]
        for ln in p["lines"]
    }
    assert (february[ids["p1"]]["hours"], february[ids["p1"]]["amount"]) == ("60.00", "2902.20")
    assert ids["p7"] in february and ids["p2"] not in february

    # HR sees the pairs involving its own organisation only.
    body = _statement(client, api_token(meer.zeewolde.hr))
    assert _pairs(body) == {("zeewolde", "ermelo"): PAIRS[("zeewolde", "ermelo")]}
    body = _statement(client, api_token(meer.harderwijk.hr))
    assert set(_pairs(body)) == {("harderwijk", "ermelo"), ("ermelo", "harderwijk")}
    for bad in ("0000-07", "2023-13", "2023-3", "maart", "2100-01"):
        response = client.get(f"/api/v1/reports/finance?month={bad}", headers=coordinator)
        assert response.status_code == 400, bad
    assert (
        client.get(
            "/api/v1/reports/finance?month=2023-03&organisation=ermelo",
            headers=api_token(meer.harderwijk.hr),
        ).status_code
        == 404
    )


def test_page_and_exports_show_the_same_figures(app, world, in_arrangement, login):
    seed_finance(world, in_arrangement, p2_march=D("19.25"))
    client = app.test_client()
    login(client, world.meer.coordinator)
    response = client.get("/rapportages/financieel?maand=2023-03")
    assert response.status_code == 200
    shown = page_tables(response.get_data(as_text=True))["Totalen per organisatiepaar"][1:]
    names = {
        "Gemeente Ermelo": "ermelo",
        "Gemeente Harderwijk": "harderwijk",
        "Gemeente Zeewolde": "zeewolde",
    }
    page = {(names[r[0]], names[r[1]]): tuple(number(v) for v in r[3:]) for r in shown}
    assert page == PAIRS

    csv = client.get("/rapportages/financieel/financieel-per-paar/export.csv?maand=2023-03")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    rows = csv_rows(csv.data)
    assert rows[0][0] == "Uitlenende organisatie (ontvangt)"
    assert {(names[r[0]], names[r[1]]): tuple(number(v) for v in r[3:]) for r in rows[1:]} == PAIRS
    assert "1603,13" in [r[4] for r in rows[1:]]  # the decimal comma a Dutch Excel reads

    xlsx = client.get("/rapportages/financieel/financieel-regels/export.xlsx?maand=2023-03")
    assert xlsx.status_code == 200
    lines = xlsx_rows(xlsx.data)[1:]
    assert len(lines) == 5
    assert sum((number(r[8]) for r in lines), D(0)) == TOTALS[0]
    assert sum((number(r[11]) for r in lines), D(0)) == TOTALS[1]
    assert client.get("/rapportages/financieel/onbekend/export.csv").status_code == 404
    assert client.get("/rapportages/financieel?maand=2023-13").status_code == 400
    assert client.get("/rapportages/financieel?maand=0000-07").status_code == 400


def test_realised_hours_rules(app, world, in_arrangement, login):
    """Only the borrowing side confirms; the employee sees the hours; bad input is a form error
    and saves nothing; someone outside the match gets 404."""
    ids = seed_finance(world, in_arrangement)
    meer = world.meer
    client = app.test_client()
    url = f"/detacheringen/{api_id('match', ids['p2'])}/uren"
    login(client, meer.ermelo.hr)  # the lending side
    assert client.get(url).status_code == 200
    assert client.post(url, data={"month": "2023-03", "hours": "10"}).status_code == 403
    login(client, meer.harderwijk.hr)
    for month, hours in (
        ("2023-03", "veel"),
        ("2023-03", "-1"),
        ("2023-03", "745"),
        ("2023-02", "5"),
        ("2099-01", "5"),
        ("maart", "5"),
        ("2023-03", "NaN"),
    ):
        response = client.post(url, data={"month": month, "hours": hours})
        assert response.status_code == 400, (month, hours)
    assert client.post(url, data={"month": "2023-03", "hours": "12,5"}).status_code == 302
    assert client.post(url, data={"month": "2023-03", "hours": "13"}).status_code == 302
    with in_arrangement(meer.arrangement.id) as s:
        rows = s.query(RealisedHours).filter_by(match_id=ids["p2"]).all()
        assert [(r.month, r.hours) for r in rows] == [(date(2023, 3, 1), D("13.00"))]
    login(client, meer.ermelo.emp)  # the employee
    page = client.get(url).get_data(as_text=True)
    assert "13" in page and "<form" not in page.split("<main", 1)[-1].split("</main>")[0]
    login(client, meer.zeewolde.hr)
    assert client.get(url).status_code == 404
