"""SCIM fixtures: a token per organisation, made through the real CLI command."""

from __future__ import annotations

import pytest


@pytest.fixture
def scim_token(app):
    """``scim_token(org)``: a new token for the organisation, from `deelkracht scim token`."""
    from app.scim.cli import scim_cli

    def issue(org) -> dict:
        runner = app.test_cli_runner()
        result = runner.invoke(scim_cli, ["token", org.slug])
        if "ambiguous" in result.output:
            arrangement = "meer" if org.arrangement_id == 1 else "elders"
            result = runner.invoke(scim_cli, ["token", f"{arrangement}/{org.slug}"])
        assert result.exit_code == 0, result.output
        token = result.output.strip().splitlines()[-1]
        return {"Authorization": f"Bearer {token}"}

    return issue
