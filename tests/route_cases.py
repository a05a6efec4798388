"""Registry of cross-arrangement requests, one entry per URL rule (DESIGN.md rule 4).

Every tenant-owned route registers a builder with :func:`route_case`. The builder gets a
:class:`CaseContext` (a world with data made in arrangement "meer") and returns the requests to
make; ``tests/test_routes_cross_arrangement.py`` makes each of them as HR and as coordinator of the
*other* arrangement ("elders") and expects 404, never data. Routes that hold no tenant data are
listed in :data:`PUBLIC` with the reason. A URL rule in neither fails the suite.

Domains put their builders in ``tests/<domain>/route_cases.py``; they are imported by the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Req:
    method: str
    url: str
    json: Any = None
    data: dict | None = None
    # "web": the browser session of the outsider; "api": their bearer token.
    auth: str = "web"


@dataclass
class CaseContext:
    app: Any
    world: Any
    in_arrangement: Callable
    extra: dict = field(default_factory=dict)


CASES: dict[str, Callable[[CaseContext], list[Req]]] = {}

#: endpoint → why it holds no tenant data (so a 404 is not the right answer there).
PUBLIC: dict[str, str] = {
    "static": "static files",
    "web.index": "welcome page, no tenant data",
    "web.healthz": "process health",
    "web.readyz": "database and Redis health",
    "web.set_language": "stores the language in the session",
    "accounts.login": "login form",
    "accounts.logout": "ends the caller's own session",
    "accounts.reset_request": "same answer for every address",
    "accounts.reset_password": "signed token; a token of another arrangement is a 404 itself",
    "accounts.accept_invitation": "signed token; a token of another arrangement is a 404 itself",
    "accounts_api.Token": "login for the API",
    "api-docs.openapi_json": "the API description",
    "metrics": "figures by route template, no tenant data; needs METRICS_TOKEN",
    "web.security_txt": "the installation's security contact",
}


def route_case(*endpoints: str):
    def register(func):
        for endpoint in endpoints:
            CASES[endpoint] = func
        return func

    return register


# Own-user routes: they show the caller's own data, so an outsider sees only their own world.
# The check is that nothing of "meer" leaks into the page.
OWN_DATA: dict[str, str] = {
    "web.home": "the caller's own landing page",
    "web.privacy": "the caller's own organisation's settings",
    "accounts_api.Me": "the caller's own account",
    "accounts.invite": "HR invites into its own organisation",
}
