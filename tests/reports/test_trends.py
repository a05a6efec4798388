"""Trends per month (issue 14) on the finance seed (tests/reports/test_finance.py), worked out
by hand; small months withheld.

Minimum group size: Ermelo 5 (the default), so the arrangement as a whole uses 5 too (the
largest of its organisations'). Placements running (P5 inside Zeewolde counts here):
  February 2023: P1, P3, P5, P7 = 4 → withheld
  March 2023:    P1, P2, P3, P4, P5, P6 = 6 → shown; hours (none confirmed in March):
                 P1 73.6 + P2 20.8 + P3 19.2 + P4 92 + P5 30 × 23 / 5 = 138 + P6 10 = 353.6
  April 2023:    P1, P2, P4, P5 = 4 (P6 ended on 24 March) → withheld
Agreements in March: P2 and P6 (2 < 5): no median. No job was posted in these months: no fill
rate. Ermelo's HR (placements involving Ermelo: P1, P2, P3, P4, P6): February P1, P3 (2) and
April P1, P2, P4 (3) withheld; March all five: 73.6 + 20.8 + 19.2 + 92 + 10 = 215.6 hours.
"""

from __future__ import annotations

from tests.reports.reading import csv_rows, page_tables
from tests.reports.test_finance import seed_finance

Q = "from=2023-02-01&to=2023-04-30"


def _items(client, headers, extra=""):
    response = client.get(f"/api/v1/reports/trends?{Q}{extra}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    return body["minGroupSize"], {
        i["month"]: (i["placements"], i["hours"], i["fillRate"], i["medianDaysToAgreement"])
        for i in body["items"]
    }


def test_trends_per_month_with_small_months_withheld(app, world, in_arrangement, login, api_token):
    seed_finance(world, in_arrangement)
    client = app.test_client()
    k, items = _items(client, api_token(world.meer.coordinator))
    assert k == 5
    assert items == {
        "2023-02": (None, None, None, None),
        "2023-03": (6, 353.6, None, None),
        "2023-04": (None, None, None, None),
    }
    k, items = _items(client, api_token(world.meer.ermelo.hr))
    assert items == {
        "2023-02": (None, None, None, None),
        "2023-03": (5, 215.6, None, None),
        "2023-04": (None, None, None, None),
    }

    login(client, world.meer.coordinator)
    page = client.get("/rapportages/trends?van=2023-02-01&tot=2023-04-30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-trends"' in html
    rows = page_tables(html)["Trends per maand"][1:]
    assert [r[:3] for r in rows] == [
        ["2023-02", "afgeschermd", "afgeschermd"],
        ["2023-03", "6", "353,6"],
        ["2023-04", "afgeschermd", "afgeschermd"],
    ]
    csv = client.get("/rapportages/trends/trends/export.csv?van=2023-02-01&tot=2023-04-30")
    assert [r[:3] for r in csv_rows(csv.data)[1:]] == [r[:3] for r in rows]
    assert client.get("/rapportages/trends/other/export.csv").status_code == 404
