"""Every URL rule is covered: tenant routes answer 404 to users of another arrangement."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests
from tests.route_cases import CASES, OWN_DATA, PUBLIC, CaseContext


def _load_cases() -> None:
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        leaf = module.name.rsplit(".", 1)[-1]
        # tests/<domain>/route_cases.py, or route_cases_<part>.py when a domain has several.
        if leaf.startswith("route_cases") and module.name != "tests.route_cases":
            importlib.import_module(module.name)


_load_cases()


def test_every_url_rule_has_a_cross_arrangement_case(app):
    """A route without a cross-arrangement test (or a stated reason) fails the suite."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(
        e for e in endpoints if e not in CASES and e not in PUBLIC and e not in OWN_DATA
    )
    assert missing == [], f"routes without a cross-arrangement case: {missing}"


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_outsiders_get_404(endpoint, app, world, in_arrangement, login):
    """HR and the coordinator of another arrangement get 404 and none of the data."""
    ctx = CaseContext(app=app, world=world, in_arrangement=in_arrangement)
    requests = CASES[endpoint](ctx)
    assert requests, f"{endpoint}: the case made no requests"
    for outsider in (world.elders.andere.hr, world.elders.coordinator):
        client = app.test_client()
        login(client, outsider)
        token = client.post(
            "/api/v1/auth/token", json={"email": outsider.email, "password": "geheim-wachtwoord-1"}
        ).get_json()["token"]
        for req in requests:
            kwargs = {"json": req.json} if req.json is not None else {"data": req.data}
            if req.auth == "scim":
                # The outsider's organisation's SCIM client (app/scim): its own bearer token.
                from app.scim.operations import issue_token
                from tenants.models import Organisation

                with in_arrangement(outsider.arrangement_id) as session:
                    scim_token = issue_token(session.get(Organisation, outsider.organisation_id))
                    session.commit()
                kwargs["headers"] = {"Authorization": f"Bearer {scim_token}"}
                response = app.test_client().open(req.url, method=req.method, **kwargs)
            elif req.auth == "api":
                api_client = app.test_client()
                kwargs["headers"] = {"Authorization": f"Bearer {token}"}
                response = api_client.open(req.url, method=req.method, **kwargs)
            else:
                response = client.open(req.url, method=req.method, **kwargs)
            assert response.status_code == 404, (
                f"{endpoint} {req.method} {req.url} as {outsider.email}: {response.status_code}"
            )
            body = response.get_data(as_text=True)
            for secret in ctx.extra.get("secrets", []):
                assert secret not in body
