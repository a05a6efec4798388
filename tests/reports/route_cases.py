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


@route_case("reports.overview", "reports.participation", "reports.export")
def report_pages(ctx):
    _secrets(ctx)
    return [
        Req("GET", "/rapportages?organisatie=ermelo"),
        Req("GET", "/rapportages/deelname?organisatie=ermelo"),
        Req("GET", "/rapportages/saldo/export.csv?organisatie=ermelo"),
        Req("GET", "/rapportages/deelname/export.xlsx?organisatie=ermelo"),
    ]


@route_case("reports_api.placements", "reports_api.participation")
def report_api(ctx):
    _secrets(ctx)
    return [
        Req("GET", "/api/v1/reports/placements?organisation=ermelo", auth="api"),
        Req("GET", "/api/v1/reports/participation?organisation=ermelo", auth="api"),
    ]
