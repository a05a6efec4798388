"""Cross-arrangement cases for reports (tests/route_cases.py). A report is about the caller's
own arrangement, so an outsider only reaches meer's figures by naming one of its organisations
(``?organisatie=`` / ``?organisation=``): that is a 404. The pages without a name show the
outsider's own arrangement (tests/reports/test_access.py checks that nothing of meer shows)."""

from __future__ import annotations

from tests.route_cases import OWN_DATA, Req, route_case

OWN_DATA.update(
    {
        "reports.external_rate": "the coordinator's own arrangement's external rate",
    }
)


def _secrets(ctx) -> None:
    meer = ctx.world.meer
    ctx.extra["secrets"] = [meer.ermelo.org.name, meer.harderwijk.org.name, meer.zeewolde.org.name]


@route_case(
    "reports.overview",
    "reports.participation",
    "reports.export",
    "reports.finance",
    "reports.finance_export",
    "reports.trends",
    "reports.trends_export",
)
def report_pages(ctx):
    _secrets(ctx)
    return [
        Req("GET", "/rapportages?organisatie=ermelo"),
        Req("GET", "/rapportages/deelname?organisatie=ermelo"),
        Req("GET", "/rapportages/saldo/export.csv?organisatie=ermelo"),
        Req("GET", "/rapportages/deelname/export.xlsx?organisatie=ermelo"),
        Req("GET", "/rapportages/financieel?organisatie=ermelo"),
        Req("GET", "/rapportages/financieel/financieel-regels/export.csv?organisatie=ermelo"),
        Req("GET", "/rapportages/financieel/financieel-per-paar/export.xlsx?organisatie=ermelo"),
        Req("GET", "/rapportages/trends?organisatie=ermelo"),
        Req("GET", "/rapportages/trends/trends/export.csv?organisatie=ermelo"),
    ]


@route_case(
    "reports_api.placements",
    "reports_api.participation",
    "reports_api.finance",
    "reports_api.trends",
)
def report_api(ctx):
    _secrets(ctx)
    return [
        Req("GET", "/api/v1/reports/placements?organisation=ermelo", auth="api"),
        Req("GET", "/api/v1/reports/participation?organisation=ermelo", auth="api"),
        Req("GET", "/api/v1/reports/finance?organisation=ermelo", auth="api"),
        Req("GET", "/api/v1/reports/trends?organisation=ermelo", auth="api"),
    ]


@route_case("reports.realised_hours")
def realised_hours(ctx):
    """A placement of meer: its hours page and the confirmation form are a 404 outside."""
    from tests.matches.route_cases import _meer_match

    match_id = _meer_match(ctx)["match"]
    return [
        Req("GET", f"/detacheringen/{match_id}/uren"),
        Req("POST", f"/detacheringen/{match_id}/uren", data={"month": "2030-01", "hours": "8"}),
    ]
